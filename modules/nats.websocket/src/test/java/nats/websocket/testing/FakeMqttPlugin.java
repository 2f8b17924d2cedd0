package nats.websocket.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import nats.api.ApiRange;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.net.Connection;
import nats.api.net.StreamProtocol;

/**
 * Stands in for the MQTT module (enabled with {@code --enable fake-mqtt}): it serves the {@code mqtt} stream
 * protocol by answering each read with {@code echo:<bytes>}, and records the carrier it was told.
 */
public final class FakeMqttPlugin implements ServerPlugin {

    /** Carriers of the connections served, in order. */
    public static final BlockingQueue<String> CARRIERS = new LinkedBlockingQueue<>();

    @Override
    public String id() {
        return "fake-mqtt";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.1");
    }

    @Override
    public void start(ServerContext context) {
        context.registerService(StreamProtocol.class, new StreamProtocol() {
            @Override
            public String name() {
                return "mqtt";
            }

            @Override
            public void serve(Connection connection, String carrier) {
                CARRIERS.add(carrier);
                ByteBuffer buf = ByteBuffer.allocate(1024);
                try {
                    int n;
                    while ((n = connection.read(buf.clear())) > 0) {
                        String got = new String(buf.array(), 0, n, StandardCharsets.UTF_8);
                        connection.write(ByteBuffer.wrap(("echo:" + got).getBytes(StandardCharsets.UTF_8)));
                    }
                } catch (IOException e) {
                    // the client went away
                } finally {
                    connection.close("Client Closed");
                }
            }
        });
    }

    @Override
    public void stop() {
    }
}
