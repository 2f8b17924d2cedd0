package nats.bench.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cluster} block of a {@code $JS.API.STREAM.INFO} answer, as Go 2.9 writes it:
 * {@code {"name":..,"leader":"<server name>","replicas":[{"name":..,"current":true,..},..]}}, the
 * replicas being the other peers as the leader sees them.
 *
 * @param leader the leading server's name, or null while the stream has none
 * @param replicas the other peers
 */
record StreamCluster(String leader, List<Replica> replicas) {

    /** One follower: its server name and whether it has everything the leader has. */
    record Replica(String name, boolean current) {
    }

    private static final Pattern CLUSTER = Pattern.compile("\"cluster\"\\s*:\\s*\\{");
    private static final Pattern REPLICAS = Pattern.compile("\"replicas\"\\s*:\\s*\\[");
    private static final Pattern CURRENT = Pattern.compile("\"current\"\\s*:\\s*true");

    StreamCluster {
        replicas = List.copyOf(replicas);
    }

    /**
     * Reads the block from a stream info answer; a stream without one (a single server) has no
     * leader and no replicas.
     */
    static StreamCluster parse(String streamInfo) {
        // The config may hold a placement's "cluster" string; the block is the last "cluster" object.
        Matcher m = CLUSTER.matcher(streamInfo);
        int at = -1;
        while (m.find()) {
            at = m.end() - 1;
        }
        if (at < 0) {
            return new StreamCluster(null, List.of());
        }
        String block = streamInfo.substring(at, objectEnd(streamInfo, at));
        List<Replica> replicas = new ArrayList<>();
        Matcher r = REPLICAS.matcher(block);
        String head = block;
        if (r.find()) {
            // The leader is looked up without the replicas (a name there cannot be taken for it).
            head = block.substring(0, r.start()) + block.substring(closing(block, r.end() - 1, '[', ']'));
            int close = closing(block, r.end() - 1, '[', ']');
            int i = r.end();
            while (true) {
                int open = block.indexOf('{', i);
                if (open < 0 || open > close) {
                    break;
                }
                int end = objectEnd(block, open);
                String one = block.substring(open, end);
                replicas.add(new Replica(Json.stringField(one, "name"), CURRENT.matcher(one).find()));
                i = end;
            }
        }
        String leader = Json.stringField(head, "leader");
        return new StreamCluster(leader == null || leader.isEmpty() ? null : leader, replicas);
    }

    /** @return true when the stream has a leader and {@code peers - 1} followers, all current */
    boolean ready(int peers) {
        return leader != null && replicas.size() == peers - 1 && replicas.stream().allMatch(Replica::current);
    }

    /** The index just past the object opening at {@code open}. */
    private static int objectEnd(String s, int open) {
        return closing(s, open, '{', '}');
    }

    /** The index just past the bracket matching the one at {@code open}; strings are skipped. */
    private static int closing(String s, int open, char opening, char closingChar) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == opening) {
                depth++;
            } else if (c == closingChar && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }
}
