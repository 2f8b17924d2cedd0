package nats.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.server.ConfigFiles;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Broken accounts blocks are refused with the Go server's reason (checked against {@code nats-server -t}). */
class AccountsConfigErrorsTest {

    private static final Path GO = Path.of("/usr/sbin/nats-server");

    @ParameterizedTest
    @ValueSource(strings = {
            // an export restricted to another account
            "A: {exports: [{stream: \"private.>\", accounts: [C]}]}, B: {imports: [{stream: {account: A, subject: \"private.>\"}}]}, C: {}",
            // nothing exported at all
            "A: {}, B: {imports: [{service: {account: A, subject: \"help\"}}]}",
            // an account that does not exist
            "B: {imports: [{stream: {account: X, subject: \"foo\"}}]}",
            // the global account's name is reserved
            "\"$G\": {}",
            // an unknown response type
            "A: {exports: [{service: foo, response: sometimes}]}",
            // an import without an account
            "B: {imports: [{stream: {subject: foo}}]}",
            // a service import cycle: A's requests on q go to B, whose requests on q go back to A
            "A: {exports: [{service: q}], imports: [{service: {account: B, subject: q}}]}, B: {exports: [{service: q}], imports: [{service: {account: A, subject: q}}]}",
            // a stream import cycle
            "A: {exports: [{stream: s}], imports: [{stream: {account: B, subject: s}}]}, B: {exports: [{stream: s}], imports: [{stream: {account: A, subject: s}}]}",
            // one local subject for two service imports
            "A: {exports: [{service: a}, {service: b}]}, B: {imports: [{service: {account: A, subject: a}, to: x}, {service: {account: A, subject: b}, to: x}]}",
    })
    void refusedWithGosReason(String accounts, @TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "accounts { " + accounts + " }\n");
        Exception ours = assertThrows(Exception.class, () -> ConfigFiles.load(conf, new ServerOptions(), false));
        String ourReason = reason(ours.getMessage());
        Assumptions.assumeTrue(Files.isExecutable(GO), "Go nats-server not installed");
        Process go = new ProcessBuilder(GO.toString(), "-t", "-c", conf.toString()).redirectErrorStream(true).start();
        String goOut = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(go.waitFor(10, TimeUnit.SECONDS));
        assertTrue(go.exitValue() != 0, "Go refuses it too: " + goOut);
        assertEquals(reason(goOut.lines().reduce((a, b) -> b).orElse("")), ourReason, "Go said: " + goOut);
    }

    /**
     * Go reports prefix-and-to only when its map iteration happens to read them in one order; jnatsd always
     * refuses the ambiguous import, with Go's text.
     */
    @org.junit.jupiter.api.Test
    void prefixAndToTogetherAreAlwaysRefused(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "accounts { A: {exports: [{stream: foo}]}, "
                + "B: {imports: [{stream: {account: A, subject: foo}, prefix: p, to: q}]} }\n");
        Exception e = assertThrows(Exception.class, () -> ConfigFiles.load(conf, new ServerOptions(), false));
        assertEquals("Stream import can not have a 'prefix' and a 'to' property", reason(e.getMessage()));
    }

    /** The text after the last {@code line:col: } position. */
    private static String reason(String message) {
        String s = message.strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":\\d+:\\d+: ").matcher(s);
        int end = -1;
        while (m.find()) {
            end = m.end();
        }
        return end < 0 ? s : s.substring(end);
    }
}
