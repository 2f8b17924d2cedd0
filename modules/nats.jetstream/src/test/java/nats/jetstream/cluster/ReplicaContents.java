package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.Replica;
import io.nats.client.api.StreamInfo;

/**
 * Reads what each replica of a clustered stream serves, by making it the stream's leader and reading every
 * sequence (a digest of subject, payload and timestamp per sequence), and checks the fault tests' invariants: every
 * acknowledged message on every replica at its acknowledged sequence, nothing else, all replicas alike.
 */
final class ReplicaContents {

    private ReplicaContents() {
    }

    /**
     * Checks every replica in {@code names} against {@code acked} (the publisher acknowledged every message it sent,
     * so the stream must hold exactly those) and against each other.
     */
    static void check(Connection nc, JetStreamManagement jsm, String stream, List<String> names,
                      Map<Long, String> acked, Duration wait) throws Exception {
        Map<Long, String> first = null;
        String firstName = null;
        for (String n : names) {
            Map<Long, String> digests = read(nc, jsm, stream, n, acked, wait);
            assertEquals(acked.size(), digests.size(), "replica " + n + " holds exactly the acknowledged messages");
            if (first == null) {
                first = digests;
                firstName = n;
            } else if (!first.equals(digests)) {
                for (Map.Entry<Long, String> e : first.entrySet()) {
                    assertEquals(e.getValue(), digests.get(e.getKey()),
                            "sequence " + e.getKey() + " on " + n + " as on " + firstName);
                }
                fail("replicas " + firstName + " and " + n + " differ");
            }
        }
    }

    /** Waits until the stream's leader reports every replica current with no lag. */
    static void awaitCurrent(JetStreamManagement jsm, String stream, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            try {
                StreamInfo si = jsm.getStreamInfo(stream);
                List<Replica> replicas = si.getClusterInfo().getReplicas();
                seen = si.getClusterInfo().getLeader() + " " + replicas.stream()
                        .map(r -> r.getName() + (r.isCurrent() ? " current" : " behind") + " lag " + r.getLag())
                        .toList();
                if (si.getClusterInfo().getLeader() != null && replicas.size() == 2
                        && replicas.stream().allMatch(r -> r.isCurrent() && !r.isOffline() && r.getLag() == 0)) {
                    return;
                }
            } catch (Exception e) {
                seen = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("replicas of " + stream + " not all current within " + wait + ": " + seen);
    }

    /**
     * What replica {@code name} serves, read while it leads: sequence to digest. A read during which it lost the
     * leadership (a moment without quorum on a loaded machine) is done again.
     */
    static Map<Long, String> read(Connection nc, JetStreamManagement jsm, String stream, String name,
                                  Map<Long, String> acked, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos() * 3;
        while (true) {
            StreamLeaders.make(nc, jsm, stream, name, wait);
            try {
                StreamInfo si = jsm.getStreamInfo(stream);
                long last = si.getStreamState().getLastSequence();
                Map<Long, String> digests = new TreeMap<>();
                for (long seq = si.getStreamState().getFirstSequence(); seq <= last && last > 0; seq++) {
                    MessageInfo m;
                    try {
                        m = jsm.getMessage(stream, seq);
                    } catch (JetStreamApiException e) {
                        if (e.getApiErrorCode() == 10037) { // no message found
                            String expected = acked.get(seq);
                            assertTrue(expected == null, name + " has no message at acknowledged sequence " + seq
                                    + " (" + expected + ")");
                            continue;
                        }
                        throw e;
                    }
                    String body = new String(m.getData(), StandardCharsets.UTF_8);
                    String expected = acked.get(seq);
                    assertEquals(expected, body, "sequence " + seq + " as served by " + name);
                    digests.put(seq, digest(m));
                }
                if (name.equals(StreamLeaders.leaderOrEmpty(jsm, stream))) {
                    return digests;
                }
            } catch (java.io.IOException | JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static String digest(MessageInfo m) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(m.getSubject().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(m.getData());
        sha.update((byte) 0);
        sha.update(m.getTime().toInstant().toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest(), 0, 12);
    }
}
