package nats.websocket.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 for the browser test: serves a few files and takes the page's result as
 * {@code POST /result}. One connection at a time, each closed after its response.
 */
public final class PageServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Map<String, Path> files;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final Thread thread;

    /** @param files what to serve, by path ({@code /index.html}) */
    public PageServer(Map<String, Path> files) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.files = Map.copyOf(files);
        this.thread = Thread.ofVirtual().name("page-server").start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Completes with the body the page posts to {@code /result}. */
    public CompletableFuture<String> result() {
        return result;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(10_000);
                handle(s.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
                // closed, or a client that went away
            }
        }
    }

    private void handle(InputStream in, OutputStream out) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
        String path = requestLine[1].contains("?") ? requestLine[1].substring(0, requestLine[1].indexOf('?'))
                : requestLine[1];
        if (requestLine[0].equals("POST") && path.equals("/result")) {
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            result.complete(new String(in.readNBytes(length), StandardCharsets.UTF_8));
            respond(out, 200, "text/plain", new byte[0]);
            return;
        }
        Path file = files.get(path);
        if (file == null) {
            respond(out, 404, "text/plain", "not found".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        String type = path.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8";
        respond(out, 200, type, Files.readAllBytes(file));
    }

    private static void respond(OutputStream out, int status, String type, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        thread.interrupt();
    }
}
