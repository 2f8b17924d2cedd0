package nats.gateway.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote cluster played on raw sockets: it accepts the outbound gateway connections of the servers that name it,
 * greets as a Go 2.9 gateway in interest-only mode ({@code gateway_iom}: they send it only what it announced with
 * {@code RS+}, and a hub announces that interest to its leaf nodes, as Go's initLeafNodeSmapAndSendSubs), answers
 * PINGs and records the {@code RMSG} lines each server sends, keyed by the server id its CONNECT names. The wire
 * shows what Go's sendMsgToGateways decides: which server sends a message, and the reply subject it carries.
 */
public final class FakeGateway implements AutoCloseable {

    private static final Pattern CONNECT_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    /** One RMSG as received: the sending server's id and the line's arguments after {@code RMSG}. */
    public record Received(String serverId, String account, String subject, String reply) {
    }

    private final String name;
    private final ServerSocket listener;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Map<String, Socket> connected = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> interest = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public FakeGateway(String name) throws IOException {
        this.name = name;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    public String url() {
        return "nats://127.0.0.1:" + listener.getLocalPort();
    }

    /** Whether the server with this id has connected and sent its CONNECT. */
    public boolean connectedFrom(String serverId) {
        return connected.containsKey(serverId);
    }

    /**
     * Announces interest in {@code subject} of {@code account} to every server that connects from now on, inside
     * Go's switch of the account to interest-only mode (INFO {@code gateway_cmd} 2, the {@code RS+}, then 3).
     */
    public void subscribe(String account, String subject) {
        String payload = "\"gateway_cmd_payload\":\""
                + Base64.getEncoder().encodeToString(account.getBytes(StandardCharsets.UTF_8)) + "\"";
        interest.add("INFO {\"gateway\":\"" + name + "\",\"gateway_cmd\":2," + payload + "}\r\n"
                + "RS+ " + account + " " + subject + "\r\n"
                + "INFO {\"gateway\":\"" + name + "\",\"gateway_cmd\":3," + payload + "}\r\n");
    }

    private static void send(Socket s, String line) throws IOException {
        synchronized (s) {
            s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
    }

    /** The next message some server sent in {@code account} (others, e.g. system events, are skipped), or null. */
    public Received next(String account, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Received r = received.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && r.account().equals(account)) {
                return r;
            }
        }
        return null;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            String info = "INFO {\"server_id\":\"FAKE" + name + "\",\"server_name\":\"fake-" + name
                    + "\",\"version\":\"2.8.4\",\"go\":\"go1.19\",\"host\":\"127.0.0.1\",\"port\":"
                    + listener.getLocalPort() + ",\"headers\":true,\"max_payload\":1048576,\"proto\":1,\"gateway\":\""
                    + name + "\",\"gateway_nrp\":true,\"gateway_iom\":true}\r\n";
            send(s, info);
            String serverId = "?";
            String line;
            while ((line = readLine(in)) != null) {
                if (line.startsWith("CONNECT ")) {
                    Matcher m = CONNECT_NAME.matcher(line);
                    if (m.find()) {
                        serverId = m.group(1);
                        for (String sub : interest) {
                            send(s, sub);
                        }
                        connected.put(serverId, s);
                    }
                } else if (line.equals("PING")) {
                    send(s, "PONG\r\n");
                } else if (line.startsWith("RMSG ") || line.startsWith("HMSG ")) {
                    String[] a = line.split(" ");
                    int size = Integer.parseInt(a[a.length - 1]);
                    in.readNBytes(size + 2);
                    // RMSG acc subject [reply] size (no queue groups here); HMSG adds the header size.
                    int args = a.length - (line.startsWith("HMSG ") ? 2 : 1);
                    received.add(new Received(serverId, a[1], a[2], args == 4 ? a[3] : null));
                }
            }
        } catch (IOException e) {
            // the server went away
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.interrupt();
    }
}
