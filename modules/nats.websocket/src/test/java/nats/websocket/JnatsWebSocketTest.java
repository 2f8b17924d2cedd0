package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The official Java client over {@code ws://}: a WebSocket client is an ordinary NATS client. */
@Timeout(30)
class JnatsWebSocketTest {

    @TempDir
    Path dir;

    @Test
    void publishAndSubscribeOverWebSocket() throws Exception {
        try (WsTestServer server = WsTestServer.start(dir, "websocket { port: -1, no_tls: true }\n")) {
            Options options = Options.builder().server("ws://127.0.0.1:" + server.wsPort())
                    .connectionTimeout(Duration.ofSeconds(5)).build();
            try (Connection ws = Nats.connect(options);
                 Connection tcp = Nats.connect("nats://127.0.0.1:" + server.natsPort())) {
                Subscription sub = ws.subscribe("greet");
                ws.flush(Duration.ofSeconds(2));
                tcp.publish("greet", "hello".getBytes(StandardCharsets.UTF_8));
                Message m = sub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "expected the TCP client's message at the WebSocket subscriber");
                assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8), "payload unchanged");
                Subscription back = tcp.subscribe("back");
                tcp.flush(Duration.ofSeconds(2));
                ws.publish("back", "over ws".getBytes(StandardCharsets.UTF_8));
                Message b = back.nextMessage(Duration.ofSeconds(5));
                assertNotNull(b, "expected the WebSocket client's message at the TCP subscriber");
                assertEquals("over ws", new String(b.getData(), StandardCharsets.UTF_8), "payload unchanged");
            }
        }
    }
}
