package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.server.testing.RawNats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * nkey users (in the authorization block and in an account) authenticate by signing the INFO nonce; run
 * with jnats and raw sockets against the Go server and this server on the same config file.
 */
@Timeout(60)
class NkeyAuthDifferentialTest {

    private static AuthHandler signer(NKey key) {
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return key.sign(nonce);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return key.getPublicKey();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    private static Connection connect(int port, NKey key) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).authHandler(signer(key))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(3)).build());
    }

    @Test
    void nkeyUsersBehaveLikeOnTheGoServer(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        NKey global = NKey.createUser(null);
        NKey inAccount = NKey.createUser(null);
        NKey stranger = NKey.createUser(null);
        String template = """
                host: 127.0.0.1
                port: %%d
                authorization { users = [ {nkey: %s, permissions: {publish: "allowed.>"}} ] }
                accounts { A: { users: [ {nkey: %s} ] } }
                """.formatted(new String(global.getPublicKey()), new String(inAccount.getPublicKey()));
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"), template.formatted(-1)),
                options, true));
        try (GoServer go = GoServer.start(dir, template); NatsServer ours = NatsServer.start(options)) {
            assertEquals(observe(go.port(), global, inAccount, stranger), observe(ours.port(), global, inAccount, stranger));
        }
    }

    private static List<String> observe(int port, NKey global, NKey inAccount, NKey stranger) throws Exception {
        List<String> log = new ArrayList<>();
        log.add("info has nonce: " + rawInfo(port).contains("\"nonce\":\""));
        try (Connection g = connect(port, global); Connection a = connect(port, inAccount)) {
            Subscription sub = g.subscribe(">");
            Subscription other = a.subscribe(">");
            g.flush(Duration.ofSeconds(2));
            a.flush(Duration.ofSeconds(2));
            g.publish("allowed.x", "ok".getBytes());
            g.publish("denied", "no".getBytes());
            g.flush(Duration.ofSeconds(2));
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            assertNotNull(m);
            log.add("global user got " + m.getSubject());
            log.add("denied publish dropped: " + (sub.nextMessage(Duration.ofMillis(300)) == null));
            log.add("account user isolated: " + (other.nextMessage(Duration.ofMillis(300)) == null));
        }
        try {
            connect(port, stranger).close();
            log.add("stranger connected");
        } catch (Exception e) {
            log.add("stranger refused");
        }
        log.add("forged signature: " + forged(port, global));
        return log;
    }

    /** The key's public part with someone else's signature. */
    private static String forged(int port, NKey key) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            RawNats.readLine(in);
            String sig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
            s.getOutputStream().write(("CONNECT {\"verbose\":false,\"nkey\":\"" + new String(key.getPublicKey())
                    + "\",\"sig\":\"" + sig + "\"}\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            return RawNats.readLine(in);
        }
    }

    private static String rawInfo(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            return RawNats.readLine(s.getInputStream());
        }
    }

}
