package nats.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Config files written from the NATS documentation's examples (accounts, nkeys, permissions, mappings,
 * in src/test/resources/configs) load unchanged here, without warnings, and the Go server accepts them too.
 */
class GoDocsConfigsTest {

    private static final Path GO = Path.of("/usr/sbin/nats-server");
    private static final Map<String, String> ENV = Map.of("ADMIN_PASS", "a", "CLIENT_PASS", "c",
            "SERVICE_PASS", "s", "OTHER_PASS", "o");

    @ParameterizedTest
    @ValueSource(strings = {"accounts.conf", "nkeys.conf", "permissions.conf", "mappings.conf"})
    void loadsHereAndInGo(String name) throws Exception {
        Path file = Path.of("src/test/resources/configs", name).toAbsolutePath();
        ServerOptions options = new ServerOptions();
        List<String> warnings = OptionsMapper.apply(ConfigParser.parse(file, ENV::get), options, true);
        assertEquals(List.of(), warnings, name + " loads cleanly, even pedantically");
        Assumptions.assumeTrue(Files.isExecutable(GO), "Go nats-server not installed");
        ProcessBuilder pb = new ProcessBuilder(GO.toString(), "-t", "-c", file.toString()).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        Process go = pb.start();
        String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(go.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, go.exitValue(), "the Go server accepts " + name + ": " + out);
    }
}
