package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built-in WebSocket plugin in the image: a websocket {} block switches it on, as in Go. */
@Timeout(60)
class WebSocketImageIT {

    @Test
    void aWebsocketBlockOpensTheListener(@TempDir Path dir) throws Exception {
        int port = ImageProcess.freePort();
        int wsPort = ImageProcess.freePort();
        Path conf = Files.writeString(dir.resolve("ws.conf"), "websocket { port: " + wsPort + ", no_tls: true }\n");
        // start() waits for the client port's INFO: the plugins, and so the WebSocket listener, are up by then.
        try (ImageProcess server = ImageProcess.start(port, "-c", conf.toString())) {
            serve(server, port, wsPort);
        }
    }

    private static void serve(ImageProcess server, int port, int wsPort) throws Exception {
        try (Connection ws = Nats.connect(Options.builder().server("ws://127.0.0.1:" + wsPort).maxReconnects(0)
                     .connectionTimeout(Duration.ofSeconds(5)).build());
             Connection tcp = Nats.connect("nats://127.0.0.1:" + port)) {
            Subscription sub = ws.subscribe("image.ws");
            ws.flush(Duration.ofSeconds(2));
            tcp.publish("image.ws", "hi".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "the image's websocket listener should serve NATS clients");
            assertTrue(server.output().contains("Listening for websocket clients on ws://0.0.0.0:" + wsPort),
                    "the bound address is logged as Go logs it:\n" + server.output());
            assertTrue(server.output().contains("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!"),
                    "with Go's warning:\n" + server.output());
        }
    }

    @Test
    void withoutTlsOrNoTlsTheStartIsRefused(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("ws.conf"), "websocket { port: -1 }\n");
        ImageProcess.Result r = ImageProcess.run("-c", conf.toString(), "-p", "-1");
        assertEquals(1, r.exitCode(), "Go refuses to start:\n" + r.output());
        assertTrue(r.output().contains("websocket requires TLS configuration"), "with Go's text:\n" + r.output());
    }
}
