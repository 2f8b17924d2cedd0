package nats.jetstream.store.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import nats.jetstream.store.SubjectFilter;

/**
 * The subjects of a stream's messages, by name and by the small integer id the {@link SequenceIndex}
 * stores. A subject is dropped when its last message goes and its id is reused. Not thread-safe: the engine
 * guards it.
 */
public final class SubjectTable {

    private final Map<String, SubjectInfo> byName = new HashMap<>();
    private SubjectInfo[] byId = new SubjectInfo[64];
    private int[] free = new int[16];
    private int freeCount;
    private int nextId;

    /** Distinct subjects. */
    public int size() {
        return byName.size();
    }

    /** The subject's entry, or {@code null}. */
    public SubjectInfo get(String subject) {
        return byName.get(subject);
    }

    /** The entry of subject id {@code id}. */
    public SubjectInfo byId(int id) {
        return byId[id];
    }

    /** The entry for {@code subject}, created (with no messages) if needed. */
    public SubjectInfo intern(String subject) {
        SubjectInfo info = byName.get(subject);
        if (info == null) {
            int id = freeCount > 0 ? free[--freeCount] : nextId++;
            if (id >= byId.length) {
                byId = Arrays.copyOf(byId, byId.length * 2);
            }
            info = new SubjectInfo(subject, id);
            byId[id] = info;
            byName.put(subject, info);
        }
        return info;
    }

    /** Adds a message to its subject's list. */
    public void add(SubjectInfo info, long sequence) {
        info.add(sequence);
    }

    /** Removes a message from its subject's list, dropping the subject when it was its last. */
    public void remove(int id, long sequence) {
        SubjectInfo info = byId[id];
        info.remove(sequence);
        releaseIfEmpty(info);
    }

    /** Drops {@code info} if it has no messages left. */
    public void releaseIfEmpty(SubjectInfo info) {
        if (info.count() == 0 && byId[info.id()] == info) {
            byName.remove(info.subject());
            byId[info.id()] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = info.id();
        }
    }

    /** Removes every subject. */
    public void clear() {
        byName.clear();
        Arrays.fill(byId, null);
        freeCount = 0;
        nextId = 0;
    }

    /** Calls {@code action} with every subject matching {@code filter}. */
    public void forEachMatching(SubjectFilter filter, Consumer<SubjectInfo> action) {
        if (filter.matchesAll()) {
            byName.values().forEach(action);
            return;
        }
        var literal = filter.literal();
        if (literal.isPresent()) {
            SubjectInfo info = byName.get(literal.get());
            if (info != null) {
                action.accept(info);
            }
            return;
        }
        for (SubjectInfo info : byName.values()) {
            if (filter.matches(info.subject())) {
                action.accept(info);
            }
        }
    }

    /** The subjects matching {@code filter}. */
    public List<SubjectInfo> matching(SubjectFilter filter) {
        List<SubjectInfo> result = new ArrayList<>();
        forEachMatching(filter, result::add);
        return result;
    }

    /** Every subject, in no particular order. */
    public Iterable<SubjectInfo> all() {
        return byName.values();
    }
}
