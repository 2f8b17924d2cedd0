package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.server.ConfigFiles;
import nats.server.options.ServerOptions;
import nats.server.testing.BothServers;
import nats.server.internal.auth.NKeyPair;
import nats.server.testing.JwtFactory;
import nats.server.testing.RawNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription whose wildcard overlaps a subscribe deny entry (allow {@code >}, deny {@code private.>}) gets
 * only the messages whose subjects the deny list does not cover: Go filters each delivery against the deny list
 * (checkDenySub). Plain and queue subscriptions, and a deny list added by a reload; transcripts compared with Go.
 */
@Timeout(60)
class SubscribeDenyDeliveryDifferentialTest {

    private static final String CONFIG = """
            host: 127.0.0.1
            port: %%d
            authorization {
              users = [
                {user: s, password: s, permissions: { subscribe: { allow: ">", deny: %s } }}
                {user: open, password: open}
                {user: p, password: p}
              ]
            }
            """;
    private static final String WITH_DENY = CONFIG.formatted("\"private.>\"");
    private static final String WITHOUT_DENY = CONFIG.formatted("\"nothing.here\"");

    private static final String PUBLISHES = "PUB public.a 1\r\na\r\nPUB private.x 1\r\nx\r\nPUB private.y.z 1\r\nz\r\n"
            + "PUB other 1\r\no\r\nPING\r\n";

    @Test
    void wildcardSubscriptionsOverlappingADenyEntryAreFilteredPerMessage(@TempDir Path dir) throws Exception {
        try (BothServers both = BothServers.start(dir, WITH_DENY)) {
            String go = plainAndQueueTranscript(both.go().port());
            String ours = plainAndQueueTranscript(both.ours().port());
            assertTrue(go.contains("MSG public.a 1 1") && !go.contains("private"),
                    "Go delivers only the subjects the deny list does not cover: " + go);
            assertEquals(go, ours, "the subscriber's transcript is Go's");
        }
    }

    @Test
    void aQueueMemberDeniedASubjectLeavesTheMessageToAnotherMember(@TempDir Path dir) throws Exception {
        try (BothServers both = BothServers.start(dir, WITH_DENY)) {
            for (int port : List.of(both.go().port(), both.ours().port())) {
                try (Raw denied = Raw.connect(port, "s"); Raw open = Raw.connect(port, "open");
                     Raw publisher = Raw.connect(port, "p")) {
                    denied.sendAndAwaitPong("SUB > grp 1\r\nPING\r\n");
                    open.sendAndAwaitPong("SUB > grp 1\r\nPING\r\n");
                    StringBuilder many = new StringBuilder();
                    for (int i = 0; i < 20; i++) {
                        many.append("PUB private.m 1\r\nm\r\n");
                    }
                    publisher.sendAndAwaitPong(many + "PING\r\n");
                    String toOpen = open.sendAndAwaitPong("PING\r\n");
                    String toDenied = denied.sendAndAwaitPong("PING\r\n");
                    assertEquals(20, count(toOpen, "MSG private.m 1 1"),
                            "port " + port + ": every message goes to the member allowed to receive it: " + toOpen);
                    assertEquals(0, count(toDenied, "MSG"), "port " + port + ": nothing reaches the denied member");
                }
            }
        }
    }

    @Test
    void aDenyListAddedByReloadFiltersExistingSubscriptions(@TempDir Path dir) throws Exception {
        try (BothServers both = BothServers.start(dir, WITHOUT_DENY);
             Raw goSub = Raw.connect(both.go().port(), "s"); Raw ourSub = Raw.connect(both.ours().port(), "s")) {
            goSub.sendAndAwaitPong("SUB > 1\r\nPING\r\n");
            ourSub.sendAndAwaitPong("SUB > 1\r\nPING\r\n");
            both.go().reload(WITH_DENY);
            ServerOptions reloaded = new ServerOptions();
            ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"), WITH_DENY.formatted(-1)), reloaded, true);
            both.ours().reload(reloaded);
            String go = publishAndCollect(both.go().port(), goSub);
            String ours = publishAndCollect(both.ours().port(), ourSub);
            assertTrue(!go.contains("private") && go.contains("public.a"), "Go filters after the reload: " + go);
            assertEquals(go, ours, "same deliveries as Go after the reload");
        }
    }

    @Test
    void jwtUserSubscribeDenyIsAppliedToDeliveries(@TempDir Path dir) throws Exception {
        NKeyPair operator = JwtFactory.operatorKey();
        NKeyPair sys = JwtFactory.accountKey();
        NKeyPair account = JwtFactory.accountKey();
        NKeyPair subscriber = JwtFactory.userKey();
        NKeyPair publisher = JwtFactory.userKey();
        Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
        String config = """
                host: 127.0.0.1
                port: %%d
                operator: %s
                system_account: %s
                resolver: MEMORY
                resolver_preload: { %s: %s, %s: %s }
                """.formatted(opFile, sys.publicKey(), sys.publicKey(), JwtFactory.account(operator, sys, "SYS", ""),
                account.publicKey(), JwtFactory.account(operator, account, "A", ""));
        String subscriberJwt = JwtFactory.user(account, subscriber,
                "\"sub\":{\"allow\":[\">\"],\"deny\":[\"private.>\"]}", 0);
        String publisherJwt = JwtFactory.user(account, publisher, "", 0);
        try (BothServers both = BothServers.start(dir, config)) {
            String go = jwtTranscript(both.go().port(), subscriber, subscriberJwt, publisher, publisherJwt);
            String ours = jwtTranscript(both.ours().port(), subscriber, subscriberJwt, publisher, publisherJwt);
            assertTrue(go.contains("MSG public.a 1 1") && !go.contains("private"), "Go filters JWT users too: " + go);
            assertEquals(go, ours, "same deliveries as Go for a JWT user");
        }
    }

    private static String jwtTranscript(int port, NKeyPair subscriber, String subscriberJwt, NKeyPair publisher,
                                        String publisherJwt) throws IOException {
        try (Socket sub = RawNats.openWithJwt(port, subscriber, subscriberJwt, true, 5000)) {
            Raw raw = new Raw(sub, sub.getInputStream(), sub.getOutputStream());
            raw.sendAndAwaitPong(""); // the PONG answering CONNECT's PING
            raw.sendAndAwaitPong("SUB > 1\r\nSUB > grp 2\r\nPING\r\n");
            try (Socket pub = RawNats.openWithJwt(port, publisher, publisherJwt, true, 5000)) {
                Raw p = new Raw(pub, pub.getInputStream(), pub.getOutputStream());
                p.sendAndAwaitPong("");
                p.sendAndAwaitPong(PUBLISHES);
            }
            return raw.sendAndAwaitPong("PING\r\n");
        }
    }

    private static String plainAndQueueTranscript(int port) throws IOException {
        try (Raw sub = Raw.connect(port, "s")) {
            sub.sendAndAwaitPong("SUB > 1\r\nSUB > grp 2\r\nPING\r\n");
            return publishAndCollect(port, sub);
        }
    }

    private static String publishAndCollect(int port, Raw sub) throws IOException {
        try (Raw publisher = Raw.connect(port, "p")) {
            publisher.sendAndAwaitPong(PUBLISHES);
        }
        return sub.sendAndAwaitPong("PING\r\n");
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

    /** A raw client that logs in as one of the config's users (password = name). */
    private record Raw(Socket socket, InputStream in, OutputStream out) implements AutoCloseable {

        static Raw connect(int port, String user) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            Raw raw = new Raw(socket, socket.getInputStream(), socket.getOutputStream());
            raw.sendAndAwaitPong("CONNECT {\"user\":\"" + user + "\",\"pass\":\"" + user + "\",\"verbose\":false}\r\nPING\r\n");
            return raw;
        }

        /** Sends, then returns everything received up to and including the next PONG (INFO and PINGs dropped). */
        String sendAndAwaitPong(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!got.toString().endsWith("PONG\r\n") && System.nanoTime() < deadline) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            return got.toString().replaceAll("INFO [^\r]*\r\n", "").replace("PING\r\n", "");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
