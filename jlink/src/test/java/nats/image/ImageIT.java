package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jlink image, run as a process without a JDK, serving real clients and drop-in plugins. */
@Timeout(60)
class ImageIT {

    @Test
    void imageRunsWithoutJdkAndServesClients() throws Exception {
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port);
             Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
            Subscription sub = nc.subscribe("image.test");
            nc.flush(Duration.ofSeconds(2));
            nc.publish("image.test", "hi".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            assertNotNull(m, "the image should route messages");
            nc.close();
            assertEquals(0, server.signal("INT"), "SIGINT shuts down with exit code 0, as in Go:\n" + server.output());
            assertTrue(server.output().contains("Server Exiting"), "graceful shutdown is logged:\n" + server.output());
        }
    }

    @Test
    void signalLdmPutsTheServerInLameDuckModeAndItExits() throws Exception {
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port)) {
            ImageProcess.Result r = ImageProcess.run("--signal", "ldm=" + server.pid());
            assertEquals(0, r.exitCode(), "--signal ldm=PID succeeds:\n" + r.output());
            assertEquals(0, server.awaitExit(Duration.ofSeconds(10)),
                    "with no clients, lame-duck mode ends in a clean exit at once:\n" + server.output());
            assertTrue(server.output().contains("Entering lame duck mode"), "logged:\n" + server.output());
        }
    }

    @Test
    void signalReloadAppliesTheEditedConfigFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        int port = ImageProcess.freePort();
        java.nio.file.Path conf = dir.resolve("reload.conf");
        java.nio.file.Files.writeString(conf, "authorization { token: before }\n");
        try (ImageProcess server = ImageProcess.start(port, "-c", conf.toString());
             Connection before = Nats.connect(new io.nats.client.Options.Builder()
                     .server("nats://127.0.0.1:" + port).token("before".toCharArray()).maxReconnects(0).build())) {
            before.flush(Duration.ofSeconds(2));
            java.nio.file.Files.writeString(conf, "authorization { token: after }\n");
            ImageProcess.Result r = ImageProcess.run("--signal", "reload=" + server.pid());
            assertEquals(0, r.exitCode(), "--signal reload=PID succeeds:\n" + r.output());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (before.getStatus() != Connection.Status.CLOSED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(Connection.Status.CLOSED, before.getStatus(),
                    "the old token no longer holds, so its client is dropped:\n" + server.output());
            try (Connection after = Nats.connect(new io.nats.client.Options.Builder()
                    .server("nats://127.0.0.1:" + port).token("after".toCharArray()).maxReconnects(0).build())) {
                after.flush(Duration.ofSeconds(2));
            }
            assertTrue(server.output().contains("Reloaded server configuration"), server.output());
            java.nio.file.Files.writeString(conf, "authorization { token: after }\nserver_name: renamed\n");
            server.signal("HUP");
            deadline = System.nanoTime() + 5_000_000_000L;
            while (!server.output().contains("config reload not supported for ServerName")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(server.output().contains("Failed to reload server configuration: config reload not supported "
                    + "for ServerName"), "an un-reloadable change is reported:\n" + server.output());
        }
    }

    @Test
    void traceFlagLogsTheProtocolWithoutSecrets() throws Exception {
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port, "-DV");
             java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
            raw.getOutputStream().write(("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"hunter2\"}\r\n"
                    + "SUB t 1\r\nPUB t 2\r\nhi\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
            raw.setSoTimeout(3000);
            byte[] buf = new byte[4096];
            String seen = "";
            while (!seen.contains("PONG")) {
                int n = raw.getInputStream().read(buf);
                if (n < 0) {
                    break;
                }
                seen += new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            Thread.sleep(300);
            String log = server.output();
            assertTrue(log.contains("[TRC] 127.0.0.1:") && log.contains("<<- [PUB t 2]")
                    && log.contains("->> [MSG t 1 2]") && log.contains("<<- MSG_PAYLOAD: [\"hi\"]"),
                    "Go-style protocol trace:\n" + log);
            assertTrue(log.contains("\"pass\":\"[REDACTED]\"") && !log.contains("hunter2"),
                    "passwords never reach the log:\n" + log);
        }
    }

    @Test
    void sighupDoesNotStopTheServer() throws Exception {
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port)) {
            new ProcessBuilder("kill", "-s", "HUP", Long.toString(server.pid())).start().waitFor();
            Thread.sleep(500);
            try (Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
                nc.flush(Duration.ofSeconds(2));
            }
            assertTrue(server.output().contains("Failed to reload server configuration: can only reload config when a "
                    + "file is provided using -c or --config"), "HUP is answered as Go does:\n" + server.output());
        }
    }

    /**
     * With a client connected (so the virtual threads' socket poller blocks in native code) the process is gone
     * soon after its graceful shutdown, as Go's is, instead of HotSpot's 300 ms wait for threads in native code
     * (a client that reconnects every 250 ms saw three disconnects before the process of its old server ended).
     */
    @Test
    void sigtermWithAClientConnectedExitsWithoutTheJvmsWaitForNativeThreads() throws Exception {
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 2; attempt++) {
            int port = ImageProcess.freePort();
            try (ImageProcess server = ImageProcess.start(port);
                 Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
                nc.flush(Duration.ofSeconds(2));
                long start = System.nanoTime();
                assertEquals(1, server.terminate(), "SIGTERM exits with 1:\n" + server.output());
                best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
            }
        }
        assertTrue(best < 280, "SIGTERM to exit took " + best + " ms at best (HotSpot's wait alone is 300 ms)");
    }

    @Test
    void sigtermShutsDownGracefullyWithGoExitCode() throws Exception {
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port)) {
            assertEquals(1, server.signal("TERM"), "SIGTERM shuts down with exit code 1, as in Go:\n" + server.output());
            assertTrue(server.output().contains("Server Exiting"), "graceful shutdown is logged:\n" + server.output());
        }
    }

    @Test
    void droppedInPluginJarIsLoadedAndServes(@TempDir Path pluginsDir) throws Exception {
        Files.copy(Path.of(System.getProperty("example.plugin.jar")), pluginsDir.resolve("example-echo.jar"));
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port, "--plugins-dir", pluginsDir.toString());
             Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
            Message reply = nc.request("$EXAMPLE.echo", "marco".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertNotNull(reply, "the drop-in plugin should answer on $EXAMPLE.echo:\n" + server.output());
            assertEquals("marco", new String(reply.getData(), StandardCharsets.UTF_8), "echo returns the payload");
        }
    }

    @Test
    void pluginsSubcommandListsKernelAndDropIns(@TempDir Path pluginsDir) throws Exception {
        Files.copy(Path.of(System.getProperty("example.plugin.jar")), pluginsDir.resolve("example-echo.jar"));
        ImageProcess.Result r = ImageProcess.run("--plugins-dir", pluginsDir.toString(), "plugins");
        assertEquals(0, r.exitCode(), "plugins exits 0:\n" + r.output());
        for (String module : List.of("nats.api", "nats.transport", "nats.server", "nats.cli")) {
            assertTrue(r.output().matches("(?s).*\\s" + java.util.regex.Pattern.quote(module) + "\\s+0\\.1\\.0\\s.*"),
                    "lists built-in module " + module + " with its version:\n" + r.output());
        }
        assertTrue(r.output().matches("(?s).*example-echo\\s+0\\.1\\.0\\s+nats\\.example\\.echo\\s+yes\\s+drop-in \\(example-echo\\.jar\\).*"),
                "lists the drop-in with id, version, module, enabled and origin:\n" + r.output());
    }

    @Test
    void unknownEnableIdFailsListingKnownIds(@TempDir Path pluginsDir) throws Exception {
        Files.copy(Path.of(System.getProperty("example.plugin.jar")), pluginsDir.resolve("example-echo.jar"));
        ImageProcess.Result r = ImageProcess.run("--plugins-dir", pluginsDir.toString(), "--enable", "nosuch",
                "-p", "-1");
        assertEquals(1, r.exitCode(), "an unknown plugin id is a start failure:\n" + r.output());
        assertTrue(r.output().contains("unknown plugin 'nosuch'") && r.output().contains("example-echo"),
                "the message names the bad id and the available ones:\n" + r.output());
    }

    @Test
    void aBlockWhoseModuleIsMissingIsRefusedAtStartAndUnderTestConfig(@TempDir Path dir) throws Exception {
        // A block whose module the image lacks (the release file lists the image's modules); none once every
        // plugin of Go's blocks is built in.
        String modules = Files.readString(ImageProcess.IMAGE.resolve("release"));
        java.util.Map<String, String> blocks = new java.util.LinkedHashMap<>();
        blocks.put("gateway { name: a, listen: 127.0.0.1:-1 }", "nats.gateway");
        blocks.put("leafnodes { listen: 127.0.0.1:-1 }", "nats.leafnode");
        java.util.Map.Entry<String, String> missing = blocks.entrySet().stream()
                .filter(e -> !modules.contains(e.getValue())).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(missing != null, "every plugin block's module is in the image");
        String block = missing.getKey().substring(0, missing.getKey().indexOf(' '));
        Path conf = Files.writeString(dir.resolve("missing.conf"), "port: -1\n" + missing.getKey() + "\n");
        ImageProcess.Result check = ImageProcess.run("-c", conf.toString(), "-t");
        assertEquals(1, check.exitCode(), "-t refuses a config whose module is missing:\n" + check.output());
        assertTrue(check.output().contains("'" + block + "' block") && check.output().contains(missing.getValue()),
                "the message names the block and the module it needs:\n" + check.output());
        ImageProcess.Result start = ImageProcess.run("-c", conf.toString());
        assertEquals(1, start.exitCode(), "the server does not start without the module:\n" + start.output());
        assertTrue(start.output().contains(missing.getValue()), "the start failure names the module:\n"
                + start.output());
    }

    @Test
    void brokenPluginJarIsRefusedByName(@TempDir Path pluginsDir) throws Exception {
        Files.writeString(pluginsDir.resolve("broken.jar"), "not a jar");
        ImageProcess.Result r = ImageProcess.run("--plugins-dir", pluginsDir.toString(), "-p", "-1");
        assertEquals(1, r.exitCode(), "a bad plugin jar refuses the start:\n" + r.output());
        assertTrue(r.output().contains("broken.jar"), "the message names the jar:\n" + r.output());
    }

    @Test
    void monitoringPortServesHealthzAndVarz() throws Exception {
        int port = ImageProcess.freePort();
        int httpPort = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port, "-m", Integer.toString(httpPort))) {
            String health = get(httpPort, "/healthz");
            assertEquals("{\"status\":\"ok\"}", health.strip(), "healthz answers like Go");
            String varz = get(httpPort, "/varz");
            assertTrue(varz.contains("\"port\": " + port), "varz reports the client port:\n" + varz);
        }
    }

    private static String get(int port, String path) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection)
                java.net.URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (java.io.InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void usageErrorExitsWithTwo() throws Exception {
        ImageProcess.Result r = ImageProcess.run("--no-such-flag");
        assertEquals(2, r.exitCode(), "an unknown flag is a usage error:\n" + r.output());
    }

    @Test
    void versionFlagPrintsVersion() throws Exception {
        ImageProcess.Result r = ImageProcess.run("-v");
        assertEquals(0, r.exitCode(), "-v exits 0");
        assertTrue(r.output().startsWith("nats-server: v0.1.0"), "prints the project version:\n" + r.output());
    }
}
