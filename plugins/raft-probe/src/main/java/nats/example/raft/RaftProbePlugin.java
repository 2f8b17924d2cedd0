package nats.example.raft;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.raft.Member;
import nats.raft.RaftConfig;
import nats.raft.RaftGroups;
import nats.raft.RaftNode;
import nats.raft.RaftSubjects;
import nats.raft.StateMachine;

/**
 * Runs one RAFT member on this server, for tests of RAFT over routes. Config:
 * {@code raft_probe { group: g, member: A, members: [A, B, C], dir: /path, election_ms: 1000 }}. Its RPCs travel
 * on {@code $NRG.*} in the system account ({@link NrgTransport}); in the global account it answers
 * {@code $RAFTPROBE.<member>.propose} (payload replicated; reply {@code ok <index>} or {@code error <text>}) and
 * {@code $RAFTPROBE.<member>.info} (reply {@code state=... term=... leader=... commit=... applied=... entries=...
 * health=... digest=... last=...}, the digest a CRC32C of every applied entry in order).
 */
public final class RaftProbePlugin implements ServerPlugin {

    private final List<byte[]> applied = Collections.synchronizedList(new ArrayList<>());
    private InternalConnection raftConnection;
    private InternalConnection clientConnection;
    private NrgTransport transport;
    private RaftNode node;

    @Override
    public String id() {
        return "raft-probe";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.1");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("raft_probe");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        for (String key : List.of("group", "member", "dir")) {
            if (!(section.get(key) instanceof String s) || s.isEmpty()) {
                throw new PluginException("raft_probe: " + key + " must be a non-empty string");
            }
        }
        if (!(section.get("members") instanceof List<?> members) || members.isEmpty()) {
            throw new PluginException("raft_probe: members must be a list of member names");
        }
        if (!RaftSubjects.isValidToken((String) section.get("group"))
                || !RaftSubjects.isValidToken((String) section.get("member"))) {
            throw new PluginException("raft_probe: group and member must be subject tokens");
        }
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        Map<String, Object> section = context.configSection();
        validate(section);
        String group = (String) section.get("group");
        String member = (String) section.get("member");
        List<Member> members = ((List<?>) section.get("members")).stream().map(m -> Member.voter(m.toString())).toList();
        long electionMs = section.get("election_ms") instanceof Long ms ? ms : 1000;
        PluginAccount raftAccount = context.accounts().system().orElse(context.accounts().global());
        raftConnection = raftAccount.connect("raft-probe");
        clientConnection = context.accounts().global().connect("raft-probe-client");
        transport = new NrgTransport(raftConnection, group);
        RaftConfig config = RaftConfig.of(group, member, members, Path.of((String) section.get("dir")))
                .withTiming(Duration.ofMillis(electionMs), Duration.ofMillis(electionMs * 2),
                        Duration.ofMillis(Math.max(20, electionMs / 5)));
        node = RaftGroups.load().start(config, new Applied(), transport);
        transport.attach(member, node);
        clientConnection.subscribe("$RAFTPROBE." + member + ".propose", this::propose);
        clientConnection.subscribe("$RAFTPROBE." + member + ".info", this::info);
    }

    private void propose(Message request) {
        node.propose(request.payload()).whenComplete((index, error) -> reply(request,
                error == null ? "ok " + index : "error " + (error.getCause() != null ? error.getCause() : error)));
    }

    private void info(Message request) {
        String last;
        int count;
        java.util.zip.CRC32C digest = new java.util.zip.CRC32C();
        synchronized (applied) {
            last = applied.isEmpty() ? "" : new String(applied.getLast(), StandardCharsets.UTF_8);
            count = applied.size();
            applied.forEach(digest::update);
        }
        reply(request, "state=" + node.state() + " term=" + node.term() + " leader=" + node.leader().orElse("")
                + " commit=" + node.commitIndex() + " applied=" + node.appliedIndex() + " entries=" + count
                + " health=" + node.health() + " digest=" + Long.toHexString(digest.getValue()) + " last=" + last);
    }

    private void reply(Message request, String text) {
        if (request.hasReplyTo()) {
            clientConnection.publish(request.replyTo(), text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void stop() {
        if (node != null) {
            node.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (clientConnection != null) {
            clientConnection.close();
        }
        if (raftConnection != null) {
            raftConnection.close();
        }
    }

    /** The replicated state: the entries, in order. */
    private final class Applied implements StateMachine {

        @Override
        public void apply(long index, byte[] data) {
            applied.add(data);
        }

        @Override
        public byte[] snapshot() {
            throw new UnsupportedOperationException("raft-probe keeps its whole log (no snapshots)");
        }

        @Override
        public void restore(byte[] snapshot) {
            throw new UnsupportedOperationException("raft-probe keeps its whole log (no snapshots)");
        }
    }
}
