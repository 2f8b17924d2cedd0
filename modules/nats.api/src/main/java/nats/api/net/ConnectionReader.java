package nats.api.net;

import java.io.IOException;

/** Consumes what one connection sends, called by the kernel's read loop with each read's bytes. */
public interface ConnectionReader {

    /** Returned by a handler that passed its connection on and wants no read loop. */
    ConnectionReader HANDED_OVER = new ConnectionReader() {
        @Override
        public void onBytes(byte[] buffer, int offset, int length) {
            throw new IllegalStateException("a handed-over connection is read elsewhere");
        }

        @Override
        public void closed() {
        }
    };

    /**
     * The bytes of one read, valid only during the call (the buffer is reused).
     *
     * @throws IOException to close the connection (a protocol violation)
     */
    void onBytes(byte[] buffer, int offset, int length) throws IOException;

    /** The connection ended (EOF, an error, or a close); called once, on the reader's thread. */
    void closed();
}
