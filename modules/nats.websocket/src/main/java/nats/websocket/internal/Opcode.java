package nats.websocket.internal;

/** RFC 6455 section 5.2: frame opcodes and header bits. */
final class Opcode {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int FIN = 0x80;
    /** permessage-deflate marks a compressed message's first frame with RSV1 (RFC 7692 section 6). */
    static final int RSV1 = 0x40;
    static final int RSV2_RSV3 = 0x30;
    static final int MASK = 0x80;

    private Opcode() {
    }

    static boolean isControl(int opcode) {
        return opcode >= CLOSE;
    }
}
