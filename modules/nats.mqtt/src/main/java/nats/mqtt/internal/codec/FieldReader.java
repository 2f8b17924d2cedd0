package nats.mqtt.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one packet (spec 1.5: two-byte integers, length-prefixed strings and binary data) from a
 * slice, never past the packet's end, with Go's texts when a field is cut short. A field read as bytes is left
 * as a slice ({@link #start()}, {@link #length()}) so nothing is copied unless the caller keeps it.
 */
public final class FieldReader {

    private byte[] buffer;
    private int pos;
    private int end;
    private int fieldStart;
    private int fieldLength;

    /** Points the reader at a packet body. */
    public FieldReader reset(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.pos = offset;
        this.end = offset + length;
        return this;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public int end() {
        return end;
    }

    public int readByte(String field) throws MqttException {
        if (pos >= end) {
            throw new MqttException("error reading " + field + ": EOF");
        }
        return buffer[pos++] & 0xff;
    }

    public int readUint16(String field) throws MqttException {
        if (end - pos < 2) {
            throw new MqttException("error reading " + field + ": unexpected EOF");
        }
        int v = ((buffer[pos] & 0xff) << 8) | (buffer[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** Reads a length-prefixed field; its bytes are then at {@link #start()} for {@link #length()}. */
    public void readBytes(String field) throws MqttException {
        int length = readUint16(field);
        if (end - pos < length) {
            throw new MqttException("error reading " + field + ": unexpected EOF");
        }
        fieldStart = pos;
        fieldLength = length;
        pos += length;
    }

    /** A copy of the last field read with {@link #readBytes}. */
    public byte[] copy() {
        byte[] out = new byte[fieldLength];
        System.arraycopy(buffer, fieldStart, out, 0, fieldLength);
        return out;
    }

    public int start() {
        return fieldStart;
    }

    public int length() {
        return fieldLength;
    }

    /** Reads a length-prefixed string; invalid UTF-8 is replaced, so check {@link #validUtf8()} first where it matters. */
    public String readString(String field) throws MqttException {
        readBytes(field);
        return new String(buffer, fieldStart, fieldLength, StandardCharsets.UTF_8);
    }

    /** Whether the last field read is valid UTF-8 (Go's utf8.Valid). */
    public boolean validUtf8() {
        return Utf8.valid(buffer, fieldStart, fieldLength);
    }

    /** Utilities for UTF-8 checks as Go's unicode/utf8 makes them. */
    public static final class Utf8 {

        private Utf8() {
        }

        /** Go's utf8.Valid: well-formed UTF-8, no surrogates, nothing above U+10FFFF, no overlong forms. */
        public static boolean valid(byte[] b, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (b[i] < 0) {
                    return decodes(b, offset, length);
                }
            }
            return true;
        }

        private static boolean decodes(byte[] b, int offset, int length) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, offset, length));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }
    }
}
