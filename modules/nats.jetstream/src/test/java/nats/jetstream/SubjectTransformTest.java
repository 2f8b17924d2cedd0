package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A stream's {@code subject_transform} (2.10) maps subjects before they are stored. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubjectTransformTest {

    @TempDir
    Path dir;

    @Test
    void storedUnderTheMappedSubject() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            String create = "{\"name\":\"TR\",\"subjects\":[\"in.*\"],\"subject_transform\":{\"src\":\"in.*\","
                    + "\"dest\":\"stored.{{wildcard(1)}}\"}}";
            nc.request("$JS.API.STREAM.CREATE.TR", create.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
            nc.jetStream().publish("in.x", "v".getBytes(StandardCharsets.UTF_8));
            var m = nc.jetStreamManagement().getMessage("TR", 1);
            assertEquals("stored.x", m.getSubject(), "the transform applied before storing");
        }
    }
}
