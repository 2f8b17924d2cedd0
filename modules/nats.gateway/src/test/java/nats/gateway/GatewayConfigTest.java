package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.testing.GoServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in the gateway block, each run through Go 2.9.10 too: those Go's parser finds are refused by
 * {@code -t} with Go's text at the key's position; those Go's validateGatewayOptions finds are refused when the
 * server starts (and pass {@code -t}, as in Go).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayConfigTest {

    @TempDir
    Path dir;

    @Test
    void parseErrorsAreRefusedByTestConfigWithGosTextAndPosition() throws Exception {
        for (String block : List.of(
                // One key a line: Go's lexer places a key after a string value on the same line one column early.
                "gateway {\n  name: A\n  port: -1\n  foo: 1\n}",
                "gateway {\n  port: -1\n  authorization: { token: x }\n}",
                "gateway {\n  port: -1\n  authorization: { users: [{user: a, password: b}] }\n}",
                "gateway {\n  port: -1\n  gateways: [{name: B, url: \"nats://h:x\"}]\n}",
                "gateway {\n  port: -1\n  gateways: [\n    {urls: [\"nats://h:4\"]\n     bar: 1}\n  ]\n}",
                "gateway {\n  listen: \"nohost\"\n}",
                // Go 2.9 takes verify_cert_and_check_known_urls in the gateway (and cluster) tls only.
                "gateway {\n  name: A\n  port: -1\n  tls {\n    verify_cert_and_check_known_urls: 1\n  }\n}",
                "leafnodes {\n  port: -1\n  tls {\n    verify_cert_and_check_known_urls: true\n  }\n}")) {
            Path conf = Files.writeString(dir.resolve("t.conf"), block + "\n");
            String go = goOutput(conf, "-t");
            ServerOptions options = new ServerOptions();
            ConfigFiles.load(conf, options, true);
            ServerStartException e = assertThrows(ServerStartException.class, () -> NatsServer.check(options), block);
            assertEquals(go, "nats-server: " + e.getMessage(), "Go's -t output for " + block);
        }
    }

    @Test
    void validationErrorsStopTheStartButPassTestConfigAsInGo() throws Exception {
        for (String block : List.of(
                "gateway { name: A }",
                "gateway { port: 5222 }",
                "gateway { name: A, port: -1, gateways: [{name: B}] }",
                "gateway { name: A, port: -1, gateways: [{url: \"nats://h:4\"}] }",
                // Go's validateCluster: the gateway's name is the cluster's
                "cluster { name: C, listen: 127.0.0.1:-1 }\ngateway { name: A, listen: 127.0.0.1:-1 }",
                // Go's validateLeafNode: a leafnode listener and a gateway need an explicit system account
                "leafnodes { listen: 127.0.0.1:-1 }\ngateway { name: A, listen: 127.0.0.1:-1 }")) {
            Path conf = Files.writeString(dir.resolve("t.conf"), "listen: 127.0.0.1:-1\n" + block + "\n");
            String goCheck = goOutput(conf, "-t");
            assertTrue(goCheck.contains("is valid"), "Go accepts under -t: " + goCheck);
            ServerOptions checked = new ServerOptions();
            ConfigFiles.load(conf, checked, true);
            NatsServer.check(checked);
            String goStart = goOutput(conf);
            ServerOptions options = new ServerOptions();
            ConfigFiles.load(conf, options, true);
            ServerStartException e = assertThrows(ServerStartException.class, () -> NatsServer.start(options), block);
            String goText = goStart.substring(goStart.indexOf(": ") + 2);
            // A built-in module's refusal is Go's text alone (the CLI prints "nats-server: " before it, as Go).
            assertEquals(goText.strip(), e.getMessage(), "Go's start failure");
        }
    }

    @Test
    void aClusterWithoutANameTakesTheGatewaysAsInGo() throws Exception {
        for (nats.gateway.testing.Member.Kind kind : List.of(nats.gateway.testing.Member.Kind.GO,
                nats.gateway.testing.Member.Kind.OURS)) {
            try (nats.gateway.testing.Member m = nats.gateway.testing.Member.start(dir, kind, "N" + kind.ordinal(),
                    new nats.gateway.testing.Member.Plan(), "", "name: GW")) {
                Object cluster = nats.testing.Monitor.get(m.httpPort, "/varz").get("cluster");
                assertEquals("GW", ((java.util.Map<?, ?>) cluster).get("name"), kind + ": the cluster is named after "
                        + "the gateway");
            }
        }
    }

    @Test
    void aReloadMayChangeTlsOnlyAsInGo() throws Exception {
        nats.gateway.testing.Member.Plan plan = new nats.gateway.testing.Member.Plan();
        try (nats.gateway.testing.Member m = nats.gateway.testing.Member.start(dir, nats.gateway.testing.Member.Kind.OURS,
                "R", plan, null, "name: R, connect_retries: 1")) {
            m.reload("name: R, connect_retries: 1");
            Exception e = assertThrows(Exception.class, () -> m.reload("name: R, connect_retries: 2"),
                    "another value is refused");
            assertTrue(String.valueOf(e.getMessage()).contains("config reload not supported for Gateway: old="),
                    "Go's text: " + e.getMessage());
            m.reload("name: R, connect_retries: 1");
        }
    }

    private static String goOutput(Path conf, String... flags) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        List<String> command = new java.util.ArrayList<>(List.of(GoServer.BINARY.toString(), "-c", conf.toString()));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Go did not stop on " + Files.readString(conf));
        }
        return new String(p.getInputStream().readAllBytes()).strip().lines().filter(l -> !l.contains("[INF]"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
