package nats.jetstream.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;

/** Finding and moving a clustered stream's leader from a client, for the tests that kill server processes. */
final class StreamLeaders {

    private StreamLeaders() {
    }

    /** The stream's leader as its info names it, or "" while it has none (or no answer comes). */
    static String leaderOrEmpty(JetStreamManagement jsm, String stream) {
        try {
            String l = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
            return l == null ? "" : l;
        } catch (Exception e) {
            return "";
        }
    }

    /** The stream's leader, waiting up to {@code wait} for one to be elected. */
    static String await(JetStreamManagement jsm, String stream, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String l = leaderOrEmpty(jsm, stream);
            if (!l.isEmpty()) {
                return l;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no leader of stream " + stream + " within " + wait);
    }

    /** Steps the stream's leader down in favour of {@code replica} until that replica leads. */
    static void make(Connection nc, JetStreamManagement jsm, String stream, String replica, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (replica.equals(leaderOrEmpty(jsm, stream))) {
                return;
            }
            try {
                nc.request("$JS.API.STREAM.LEADER.STEPDOWN." + stream,
                        ("{\"placement\":{\"preferred\":\"" + replica + "\"}}").getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(5));
            } catch (Exception e) {
                // no leader for a moment
            }
            Thread.sleep(300);
        }
        throw new AssertionError(replica + " never became the leader of stream " + stream);
    }
}
