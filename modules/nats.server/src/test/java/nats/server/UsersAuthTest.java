package nats.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.server.options.User;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Users from the config file, with plain and bcrypt passwords, exercised with jnats. */
@Timeout(30)
class UsersAuthTest {

    private static Options options(int port, String user, String pass) {
        return new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, pass)
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void usersFromAConfigFileAuthenticateWithPlainAndBcryptPasswords(@TempDir Path dir) throws Exception {
        String hash = OpenBSDBCrypt.generate("2a", "wonderland".toCharArray(), new byte[16], 4);
        Path conf = dir.resolve("users.conf");
        Files.writeString(conf, """
                host: 127.0.0.1
                port: -1
                authorization {
                  users = [
                    {user: alice, password: "%s"}
                    {user: bob, password: s3cret}
                  ]
                }
                """.formatted(hash));
        ServerOptions opts = new ServerOptions();
        List<String> warnings = ConfigFiles.load(conf, opts, true);
        assertEquals(List.of(), warnings, "a users block loads cleanly, even in pedantic mode");
        assertEquals(List.of(new User("alice", hash), new User("bob", "s3cret")), opts.users(), "both users are read");
        NatsServer server = NatsServer.start(opts);
        try {
            int port = server.port();
            try (Connection alice = Nats.connect(options(port, "alice", "wonderland"));
                 Connection bob = Nats.connect(options(port, "bob", "s3cret"))) {
                alice.flush(Duration.ofSeconds(2));
                bob.flush(Duration.ofSeconds(2));
            }
            Exception wrong = assertThrows(Exception.class, () -> Nats.connect(options(port, "alice", "s3cret")),
                    "another user's password is refused");
            assertTrue(String.valueOf(wrong.getMessage()).contains("Authorization Violation"),
                    "the server answers with Go's text: " + wrong.getMessage());
            assertThrows(Exception.class, () -> Nats.connect(options(port, "carol", "s3cret")),
                    "an unknown user is refused");
        } finally {
            server.shutdown();
        }
    }

    @Test
    void singleUserWithBcryptPassword() throws Exception {
        String hash = OpenBSDBCrypt.generate("2a", "pw".toCharArray(), new byte[16], 4);
        NatsServer server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .username("derek").password(hash));
        try {
            try (Connection nc = Nats.connect(options(server.port(), "derek", "pw"))) {
                nc.flush(Duration.ofSeconds(2));
            }
            assertThrows(Exception.class, () -> Nats.connect(options(server.port(), "derek", hash)),
                    "sending the hash itself is not the password");
        } finally {
            server.shutdown();
        }
    }

    @Test
    void usersCannotBeCombinedWithATokenOrASingleUser(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "authorization { token: t, users = [{user: a, password: b}] }\n");
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> ConfigFiles.load(conf, new ServerOptions(), false), "token plus users is invalid");
        assertTrue(e.getMessage().contains("Can not have a token and a users array"), e.getMessage());
    }
}
