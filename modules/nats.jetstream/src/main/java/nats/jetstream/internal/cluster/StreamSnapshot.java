package nats.jetstream.internal.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stream group's RAFT snapshot holds (as Go's stream snapshot: the stream state, not its messages): the
 * first and last sequence and the deleted sequences between them, plus the consumers' committed definitions and
 * states. A member that installs it keeps the messages it has and fetches the missing ones from another replica
 * ({@link CatchUp}).
 *
 * <p>Encoding (big-endian): u8 version 1, u64 first, u64 last, u32 deleted count, u64 each, u32 consumer count,
 * per consumer: UTF name, u32 definition length, definition, i32 state length (-1 none), state.
 */
record StreamSnapshot(long first, long last, long[] deleted, Map<String, byte[]> consumerDefs,
                      Map<String, byte[]> consumerStates) {

    private static final int VERSION = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + deleted.length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(first);
            out.writeLong(last);
            out.writeInt(deleted.length);
            for (long seq : deleted) {
                out.writeLong(seq);
            }
            out.writeInt(consumerDefs.size());
            for (Map.Entry<String, byte[]> c : consumerDefs.entrySet()) {
                out.writeUTF(c.getKey());
                out.writeInt(c.getValue().length);
                out.write(c.getValue());
                byte[] state = consumerStates.get(c.getKey());
                out.writeInt(state == null ? -1 : state.length);
                if (state != null) {
                    out.write(state);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a snapshot of this version */
    static StreamSnapshot decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown stream snapshot version " + version);
            }
            long first = in.readLong();
            long last = in.readLong();
            long[] deleted = new long[in.readInt()];
            for (int i = 0; i < deleted.length; i++) {
                deleted[i] = in.readLong();
            }
            Map<String, byte[]> defs = new TreeMap<>();
            Map<String, byte[]> states = new TreeMap<>();
            int consumers = in.readInt();
            for (int i = 0; i < consumers; i++) {
                String name = in.readUTF();
                defs.put(name, in.readNBytes(in.readInt()));
                int stateLength = in.readInt();
                if (stateLength >= 0) {
                    states.put(name, in.readNBytes(stateLength));
                }
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("stream snapshot has " + in.available() + " bytes too many");
            }
            return new StreamSnapshot(first, last, deleted, defs, states);
        } catch (IOException e) {
            throw new IllegalArgumentException("stream snapshot cut short", e);
        }
    }
}
