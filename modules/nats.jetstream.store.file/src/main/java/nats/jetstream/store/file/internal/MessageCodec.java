package nats.jetstream.store.file.internal;

import java.nio.charset.StandardCharsets;

/** Encodes records into a block buffer and decodes (and, if sealed, opens) message records. */
final class MessageCodec {

    /** The decoded body of a MESSAGE record: where subject, headers and payload are. */
    record Body(byte[] bytes, int offset, int subjectLength, int headersLength, int payloadLength, long ttl) {

        int subjectOffset() {
            return offset + RecordFormat.MESSAGE_FIXED + (ttl != 0 ? 8 : 0);
        }

        int headersOffset() {
            return subjectOffset() + subjectLength;
        }

        int payloadOffset() {
            return headersOffset() + headersLength;
        }

        String subject() {
            return new String(bytes, subjectOffset(), subjectLength, StandardCharsets.UTF_8);
        }

        byte[] headers() {
            byte[] copy = new byte[headersLength];
            System.arraycopy(bytes, headersOffset(), copy, 0, headersLength);
            return copy;
        }

        byte[] payload() {
            byte[] copy = new byte[payloadLength];
            System.arraycopy(bytes, payloadOffset(), copy, 0, payloadLength);
            return copy;
        }
    }

    private MessageCodec() {
    }

    /** Bytes {@code subject} takes in UTF-8. */
    static int subjectLength(String subject) {
        int length = subject.length();
        for (int i = 0; i < length; i++) {
            if (subject.charAt(i) >= 0x80) {
                return subject.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }

    /** Length of a MESSAGE record. */
    static int messageLength(int subjectLength, int headers, int payload, long ttl, boolean sealed) {
        return RecordFormat.messageLength(subjectLength, headers, payload, ttl != 0, sealed ? Crypto.TAG : 0);
    }

    /**
     * Writes a MESSAGE record at {@code pos}; {@code nonce} is its offset in the block file.
     *
     * @return the record's length
     */
    static int writeMessage(byte[] buffer, int pos, long sequence, long timestamp, String subject, int subjectLength,
            byte[] headers, byte[] payload, long ttl, Crypto crypto, Crypto.Key key, long nonce) {
        boolean sealed = key != null;
        int length = messageLength(subjectLength, headers.length, payload.length, ttl, sealed);
        byte flags = (byte) ((ttl != 0 ? RecordFormat.HAS_TTL : 0) | (sealed ? RecordFormat.ENCRYPTED : 0));
        RecordFormat.putHeader(buffer, pos, RecordFormat.MESSAGE, flags, length, sequence, timestamp);
        int body = pos + RecordFormat.HEADER;
        int at = body;
        RecordFormat.putShort(buffer, at, subjectLength);
        RecordFormat.putInt(buffer, at + 2, headers.length);
        at += RecordFormat.MESSAGE_FIXED;
        if (ttl != 0) {
            RecordFormat.putLong(buffer, at, ttl);
            at += 8;
        }
        if (subjectLength == subject.length()) {
            for (int i = 0; i < subjectLength; i++) {
                buffer[at + i] = (byte) subject.charAt(i);
            }
        } else {
            byte[] utf8 = subject.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(utf8, 0, buffer, at, utf8.length);
        }
        at += subjectLength;
        System.arraycopy(headers, 0, buffer, at, headers.length);
        at += headers.length;
        System.arraycopy(payload, 0, buffer, at, payload.length);
        at += payload.length;
        if (sealed) {
            crypto.seal(key, nonce, buffer, pos, 24, body, at - body);
        }
        RecordFormat.putTrailer(buffer, pos, length);
        return length;
    }

    /** Writes a TOMBSTONE, FLOOR (count 0) or SKIP (count > 0) record; returns its length. */
    static int writeMarker(byte[] buffer, int pos, byte type, long sequence, long timestamp, long count) {
        int length = RecordFormat.MIN_LENGTH + (type == RecordFormat.SKIP ? 8 : 0);
        RecordFormat.putHeader(buffer, pos, type, (byte) 0, length, sequence, timestamp);
        if (type == RecordFormat.SKIP) {
            RecordFormat.putLong(buffer, pos + RecordFormat.HEADER, count);
        }
        RecordFormat.putTrailer(buffer, pos, length);
        return length;
    }

    static int markerLength(byte type) {
        return RecordFormat.MIN_LENGTH + (type == RecordFormat.SKIP ? 8 : 0);
    }

    /** The count of a SKIP record whose checks passed. */
    static long skipCount(byte[] record, int offset) {
        return RecordFormat.getLong(record, offset + RecordFormat.HEADER);
    }

    /**
     * Decodes the MESSAGE record at {@code offset}, whose checksums already passed; {@code null} if its
     * body is inconsistent or fails authentication.
     */
    static Body decode(byte[] record, int offset, Crypto crypto, Crypto.Key key, long nonce) {
        int length = RecordFormat.length(record, offset);
        byte flags = RecordFormat.flags(record, offset);
        int bodyOffset = offset + RecordFormat.HEADER;
        int bodyLength = length - RecordFormat.HEADER - RecordFormat.TRAILER;
        byte[] bytes = record;
        if ((flags & RecordFormat.ENCRYPTED) != 0) {
            if (key == null || bodyLength < Crypto.TAG) {
                return null;
            }
            bytes = crypto.open(key, nonce, record, offset, 24, bodyOffset, bodyLength);
            if (bytes == null) {
                return null;
            }
            bodyOffset = 0;
            bodyLength = bytes.length;
        }
        if ((flags & RecordFormat.PADDED) != 0) {
            bodyLength -= Crypto.TAG;
        }
        boolean ttlFlag = (flags & RecordFormat.HAS_TTL) != 0;
        int fixed = RecordFormat.MESSAGE_FIXED + (ttlFlag ? 8 : 0);
        if (bodyLength < fixed) {
            return null;
        }
        int subjectLength = RecordFormat.getShort(bytes, bodyOffset);
        int headersLength = RecordFormat.getInt(bytes, bodyOffset + 2);
        long ttl = ttlFlag ? RecordFormat.getLong(bytes, bodyOffset + RecordFormat.MESSAGE_FIXED) : 0;
        int payloadLength = bodyLength - fixed - subjectLength - headersLength;
        if (headersLength < 0 || payloadLength < 0 || subjectLength == 0 || (ttlFlag && ttl == 0)) {
            return null;
        }
        return new Body(bytes, bodyOffset, subjectLength, headersLength, payloadLength, ttl);
    }
}
