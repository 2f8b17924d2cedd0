package nats.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import nats.server.internal.auth.NKeyPair;
import nats.server.internal.auth.NonceSignature;

/** Raw-socket helpers for authentication tests: CONNECT with a JWT and a signed nonce, read one line. */
public final class RawNats {

    private RawNats() {
    }

    /**
     * Connects with {@code jwt}, signing INFO's nonce with {@code user} when {@code sign}, sends PING and
     * returns the server's first answer ({@code PONG} or an {@code -ERR}).
     */
    public static String connectWithJwt(int port, NKeyPair user, String jwt, boolean sign) throws IOException {
        try (Socket s = openWithJwt(port, user, jwt, sign, 3000)) {
            return readLine(s.getInputStream());
        }
    }

    /**
     * Opens a connection and sends CONNECT with {@code jwt} (the nonce signed when {@code sign}) and PING; the
     * caller reads the answers and closes the socket.
     */
    public static Socket openWithJwt(int port, NKeyPair user, String jwt, boolean sign, int readTimeoutMillis)
            throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        try {
            s.setSoTimeout(readTimeoutMillis);
            String info = readLine(s.getInputStream());
            String nonce = info.replaceAll(".*\"nonce\":\"([^\"]*)\".*", "$1");
            String sig = sign ? NonceSignature.sign(user, nonce.getBytes(StandardCharsets.US_ASCII)) : "";
            s.getOutputStream().write(("CONNECT {\"verbose\":false,\"protocol\":1,\"jwt\":\"" + jwt + "\",\"sig\":\""
                    + sig + "\"}\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** One protocol line without its CRLF. */
    public static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString().strip();
    }
}
