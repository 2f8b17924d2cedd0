package nats.raft.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import nats.raft.StateMachine;

/** The simulation's replicated state: the list of values applied, with their indexes; checks it is applied in order. */
final class SimStateMachine implements StateMachine {

    final List<Long> values = new ArrayList<>();
    long lastIndex;
    final List<String> errors;

    SimStateMachine(List<String> errors) {
        this.errors = errors;
    }

    @Override
    public void apply(long index, byte[] data) {
        if (index <= lastIndex) {
            errors.add("applied index " + index + " after " + lastIndex);
        }
        lastIndex = index;
        values.add(ByteBuffer.wrap(data).getLong());
    }

    @Override
    public byte[] snapshot() {
        ByteBuffer b = ByteBuffer.allocate(12 + values.size() * 8);
        b.putLong(lastIndex).putInt(values.size());
        values.forEach(b::putLong);
        return b.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        lastIndex = b.getLong();
        int n = b.getInt();
        values.clear();
        for (int i = 0; i < n; i++) {
            values.add(b.getLong());
        }
    }
}
