package nats.jetstream.store.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nats.jetstream.store.SimpleState;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.SubjectFilter;

/**
 * Read-only questions over an engine's index and subjects. Every method runs with the engine's lock held
 * (read or write). Sequences returned are positive; 0 means "none".
 */
final class EngineQueries {

    /** Slots a wildcard search checks one by one before it asks the subjects instead. */
    private static final int LINEAR_SCAN = 256;

    private EngineQueries() {
    }

    /** The first message at or after {@code from} matching {@code filter}, or 0. */
    static long nextMatching(StreamEngine engine, SubjectFilter filter, long from) {
        long start = Math.max(from, engine.firstSeq);
        if (start > engine.lastSeq || engine.messages == 0) {
            return 0;
        }
        if (filter.matchesAll()) {
            return Math.max(0, engine.index.next(start));
        }
        var literal = filter.literal();
        if (literal.isPresent()) {
            SubjectInfo info = engine.subjects.get(literal.get());
            return info == null ? 0 : info.nextAtOrAfter(start);
        }
        // Consumers mostly find the next match close by: look at a few slots, then ask each subject.
        long seq = engine.index.next(start);
        for (int checked = 0; seq >= 0 && checked < LINEAR_SCAN; checked++) {
            if (filter.matches(subjectOf(engine, seq))) {
                return seq;
            }
            seq = engine.index.next(seq + 1);
        }
        if (seq < 0) {
            return 0;
        }
        long from2 = seq;
        long[] best = {Long.MAX_VALUE};
        engine.subjects.forEachMatching(filter, info -> {
            long next = info.nextAtOrAfter(from2);
            if (next > 0 && next < best[0]) {
                best[0] = next;
            }
        });
        return best[0] == Long.MAX_VALUE ? 0 : best[0];
    }

    /** The last message at or before {@code from} matching {@code filter}, or 0. */
    static long previousMatching(StreamEngine engine, SubjectFilter filter, long from) {
        long start = Math.min(from, engine.lastSeq);
        if (start < engine.firstSeq || engine.messages == 0) {
            return 0;
        }
        if (filter.matchesAll()) {
            return Math.max(0, engine.index.previous(start));
        }
        var literal = filter.literal();
        if (literal.isPresent()) {
            SubjectInfo info = engine.subjects.get(literal.get());
            return info == null ? 0 : info.lastAtOrBefore(start);
        }
        long seq = engine.index.previous(start);
        for (int checked = 0; seq >= 0 && checked < LINEAR_SCAN; checked++) {
            if (filter.matches(subjectOf(engine, seq))) {
                return seq;
            }
            seq = engine.index.previous(seq - 1);
        }
        if (seq < 0) {
            return 0;
        }
        long upTo = seq;
        long[] best = {0};
        engine.subjects.forEachMatching(filter, info -> best[0] = Math.max(best[0], info.lastAtOrBefore(upTo)));
        return best[0];
    }

    /** The last message on {@code subject} (a literal, a wildcard, or {@code >}/empty for any), or 0. */
    static long lastMatching(StreamEngine engine, String subject) {
        if (engine.messages == 0) {
            return 0;
        }
        if (subject == null || subject.isEmpty() || subject.equals(">")) {
            return Math.max(0, engine.index.previous(engine.lastSeq));
        }
        if (SubjectFilter.isLiteral(subject)) {
            SubjectInfo info = engine.subjects.get(subject);
            return info == null ? 0 : info.last();
        }
        long[] best = {0};
        engine.subjects.forEachMatching(SubjectFilter.of(subject), info -> best[0] = Math.max(best[0], info.last()));
        return best[0];
    }

    /** The first message stored at or after {@code target} nanoseconds, or the last sequence plus one. */
    static long sequenceAt(StreamEngine engine, long target) {
        SequenceIndex index = engine.index;
        if (engine.messages == 0) {
            return engine.lastSeq + 1;
        }
        long low = index.next(engine.firstSeq);
        long high = index.previous(engine.lastSeq);
        if (target <= index.timestamp(low)) {
            return low;
        }
        if (target > index.timestamp(high)) {
            return engine.lastSeq + 1;
        }
        // The first message of next(x) has ts >= target is monotone in x: search x in (low, high].
        long lo = low;
        long hi = high;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (index.timestamp(index.next(mid)) >= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return index.next(hi);
    }

    /** Messages matching {@code filter} at or after {@code from}. */
    static SimpleState filteredState(StreamEngine engine, long from, SubjectFilter filter) {
        long start = Math.max(from, engine.firstSeq);
        if (start > engine.lastSeq || engine.messages == 0) {
            return SimpleState.EMPTY;
        }
        if (filter.matchesAll()) {
            long count = start <= engine.firstSeq ? engine.messages : engine.index.countBetween(start, engine.lastSeq);
            if (count == 0) {
                return SimpleState.EMPTY;
            }
            return new SimpleState(count, engine.index.next(start), engine.index.previous(engine.lastSeq));
        }
        long[] acc = {0, Long.MAX_VALUE, 0};
        engine.subjects.forEachMatching(filter, info -> {
            long count = start <= info.first() ? info.count() : info.countFrom(start);
            if (count > 0) {
                acc[0] += count;
                acc[1] = Math.min(acc[1], start <= info.first() ? info.first() : info.nextAtOrAfter(start));
                acc[2] = Math.max(acc[2], info.last());
            }
        });
        return acc[0] == 0 ? SimpleState.EMPTY : new SimpleState(acc[0], acc[1], acc[2]);
    }

    /** How many messages (or, with {@code lastPerSubject}, subjects' last messages) match at or after {@code from}. */
    static long numPending(StreamEngine engine, long from, SubjectFilter filter, boolean lastPerSubject) {
        long start = Math.max(from, engine.firstSeq);
        if (start > engine.lastSeq || engine.messages == 0) {
            return 0;
        }
        if (lastPerSubject) {
            long[] count = {0};
            engine.subjects.forEachMatching(filter, info -> {
                if (info.last() >= start) {
                    count[0]++;
                }
            });
            return count[0];
        }
        return filteredState(engine, start, filter).messages();
    }

    /** Per matching subject: count, first and last, sorted by subject. */
    static Map<String, SimpleState> subjectsState(StreamEngine engine, SubjectFilter filter) {
        Map<String, SimpleState> result = new TreeMap<>();
        engine.subjects.forEachMatching(filter,
                info -> result.put(info.subject(), new SimpleState(info.count(), info.first(), info.last())));
        return Collections.unmodifiableMap(result);
    }

    /** Per matching subject: its message count, sorted by subject. */
    static Map<String, Long> subjectsTotals(StreamEngine engine, SubjectFilter filter) {
        Map<String, Long> result = new TreeMap<>();
        engine.subjects.forEachMatching(filter, info -> result.put(info.subject(), info.count()));
        return Collections.unmodifiableMap(result);
    }

    /** The last sequence of each matching subject up to {@code upTo} (0 for all), ascending. */
    static List<Long> lastSequences(StreamEngine engine, SubjectFilter filter, long upTo, int maxAllowed) {
        long limit = upTo <= 0 ? engine.lastSeq : upTo;
        List<Long> result = new ArrayList<>();
        engine.subjects.forEachMatching(filter, info -> {
            long last = info.last() <= limit ? info.last() : info.lastAtOrBefore(limit);
            if (last > 0) {
                result.add(last);
            }
        });
        if (maxAllowed > 0 && result.size() > maxAllowed) {
            throw new StoreException(Kind.TOO_MANY_RESULTS);
        }
        Collections.sort(result);
        return result;
    }

    /** The sequences between first and last that hold no message. */
    static long[] deleted(StreamEngine engine, long expected) {
        long[] result = new long[(int) Math.min(expected, Integer.MAX_VALUE - 8)];
        int n = 0;
        long seq = engine.firstSeq;
        while (seq <= engine.lastSeq && n < result.length) {
            long next = engine.index.next(seq);
            long end = next < 0 ? engine.lastSeq + 1 : next;
            for (long gap = seq; gap < end && n < result.length; gap++) {
                result[n++] = gap;
            }
            seq = end + 1;
        }
        return n == result.length ? result : java.util.Arrays.copyOf(result, n);
    }

    static String subjectOf(StreamEngine engine, long seq) {
        return engine.subjects.byId(engine.index.subjectId(seq)).subject();
    }
}
