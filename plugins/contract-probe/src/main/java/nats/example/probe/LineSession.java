package nats.example.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import nats.api.net.Connection;
import nats.api.net.ConnectionReader;
import nats.api.sessions.ClientSession;
import nats.api.sessions.ClientSessions;
import nats.api.sessions.Credentials;
import nats.api.sessions.SessionException;
import nats.api.sessions.SessionOutcome;
import nats.api.sessions.SessionRequest;

/**
 * A tiny line protocol over one connection of the probe's listener, driving a structured client session:
 * {@code login USER PASS}, {@code pub SUBJECT TEXT}, {@code sub SUBJECT}, {@code quit}. Each command is answered
 * with one line; messages for subscriptions arrive as {@code msg SUBJECT TEXT}; a session the kernel closes is
 * reported as {@code closed REASON}.
 */
final class LineSession implements ConnectionReader {

    private final Connection connection;
    private final ClientSessions sessions;
    private final StringBuilder line = new StringBuilder();
    private volatile ClientSession session;

    LineSession(Connection connection, ClientSessions sessions, Supplier<String> greeting) throws IOException {
        this.connection = connection;
        this.sessions = sessions;
        write("PROBE " + greeting.get());
    }

    @Override
    public void onBytes(byte[] buffer, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            char c = (char) (buffer[i] & 0xff);
            if (c == '\n') {
                command(line.toString().strip());
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    private void command(String text) throws IOException {
        String[] words = text.split(" ", 3);
        switch (words[0]) {
            case "login" -> login(words.length > 1 ? words[1] : "", words.length > 2 ? words[2] : "");
            case "pub" -> {
                byte[] payload = (words.length > 2 ? words[2] : "").getBytes(StandardCharsets.UTF_8);
                ClientSession s = require();
                ClientSession.PublishResult result = s.publish(words[1].getBytes(StandardCharsets.UTF_8), null,
                        payload, 0, 0, payload.length);
                s.flush();
                write(result.name().toLowerCase(java.util.Locale.ROOT));
            }
            case "sub" -> {
                try {
                    require().subscribe(words[1], null, m -> {
                        writeQuietly("msg " + m.subject() + " " + new String(m.copyPayload(), StandardCharsets.UTF_8));
                        return true;
                    });
                    write("subscribed");
                } catch (SessionException e) {
                    write("error " + e.getMessage());
                }
            }
            case "quit" -> {
                ClientSession s = session;
                if (s != null) {
                    s.close("Client Closed");
                }
                connection.close();
            }
            default -> write("error unknown command " + words[0]);
        }
    }

    private void login(String user, String pass) throws IOException {
        SessionOutcome outcome = sessions.open(new SessionRequest("nats", connection,
                Credentials.userPassword(user, pass), "probe-line", "probe", "1", java.util.Optional.empty(),
                reason -> {
                    writeQuietly("closed " + reason);
                    connection.close();
                }));
        switch (outcome) {
            case SessionOutcome.Opened opened -> {
                session = opened.session();
                session.monitoringField("probe_client", user);
                write("ok " + session.id() + " " + session.account().name());
            }
            case SessionOutcome.Refused refused -> write("refused " + refused.reason());
        }
    }

    private ClientSession require() throws IOException {
        ClientSession s = session;
        if (s == null) {
            write("error login first");
            throw new IOException("command before login");
        }
        return s;
    }

    private synchronized void write(String text) throws IOException {
        connection.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private void writeQuietly(String text) {
        try {
            write(text);
        } catch (IOException e) {
            connection.close();
        }
    }

    @Override
    public void closed() {
        ClientSession s = session;
        if (s != null && !s.isClosed()) {
            s.close("Client Closed");
        }
    }
}
