package nats.server.internal.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP client for the monitoring tests ({@code java.net.http} is not readable by the patched
 * test module): one request per connection, so a stopped server never leaves a pooled socket behind.
 */
final class Http {

    /** A response: status, Content-Type and the body as text. */
    record Response(int status, String contentType, String body) {
    }

    private Http() {
    }

    static Response get(int port, String pathAndQuery) throws IOException {
        return send("GET", port, pathAndQuery, null);
    }

    static Response send(String method, int port, String pathAndQuery, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + pathAndQuery).toURL()
                .openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Connection", "close");
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        c.setUseCaches(false);
        try {
            if (body != null) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (in != null) {
                in.close();
            }
            String type = c.getContentType();
            return new Response(status, type == null ? "" : type, text);
        } finally {
            c.disconnect();
        }
    }
}
