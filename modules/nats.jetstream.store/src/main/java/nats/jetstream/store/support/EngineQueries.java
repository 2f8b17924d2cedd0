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
    static long nextMatching(StreamLog log, SubjectFilter filter, long from) {
        long start = Math.max(from, log.firstSeq);
        if (start > log.lastSeq || log.messages == 0) {
            return 0;
        }
        if (filter.matchesAll()) {
            return Math.max(0, log.index.next(start));
        }
        var literal = filter.literal();
        if (literal.isPresent()) {
            SubjectInfo info = log.subjects.get(literal.get());
            return info == null ? 0 : info.nextAtOrAfter(start);
        }
        // Consumers mostly find the next match close by: look at a few slots, then ask each subject.
        long seq = log.index.next(start);
        for (int checked = 0; seq >= 0 && checked < LINEAR_SCAN; checked++) {
            if (filter.matches(subjectOf(log, seq))) {
                return seq;
            }
            seq = log.index.next(seq + 1);
        }
        if (seq < 0) {
            return 0;
        }
        long from2 = seq;
        long[] best = {Long.MAX_VALUE};
        log.subjects.forEachMatching(filter, info -> {
            long next = info.nextAtOrAfter(from2);
            if (next > 0 && next < best[0]) {
                best[0] = next;
            }
        });
        return best[0] == Long.MAX_VALUE ? 0 : best[0];
    }

    /** The last message at or before {@code from} matching {@code filter}, or 0. */
    static long previousMatching(StreamLog log, SubjectFilter filter, long from) {
        long start = Math.min(from, log.lastSeq);
        if (start < log.firstSeq || log.messages == 0) {
            return 0;
        }
        if (filter.matchesAll()) {
            return Math.max(0, log.index.previous(start));
        }
        var literal = filter.literal();
        if (literal.isPresent()) {
            SubjectInfo info = log.subjects.get(literal.get());
            return info == null ? 0 : info.lastAtOrBefore(start);
        }
        long seq = log.index.previous(start);
        for (int checked = 0; seq >= 0 && checked < LINEAR_SCAN; checked++) {
            if (filter.matches(subjectOf(log, seq))) {
                return seq;
            }
            seq = log.index.previous(seq - 1);
        }
        if (seq < 0) {
            return 0;
        }
        long upTo = seq;
        long[] best = {0};
        log.subjects.forEachMatching(filter, info -> best[0] = Math.max(best[0], info.lastAtOrBefore(upTo)));
        return best[0];
    }

    /** The last message on {@code subject} (a literal, a wildcard, or {@code >}/empty for any), or 0. */
    static long lastMatching(StreamLog log, String subject) {
        if (log.messages == 0) {
            return 0;
        }
        if (subject == null || subject.isEmpty() || subject.equals(">")) {
            return Math.max(0, log.index.previous(log.lastSeq));
        }
        if (SubjectFilter.isLiteral(subject)) {
            SubjectInfo info = log.subjects.get(subject);
            return info == null ? 0 : info.last();
        }
        long[] best = {0};
        log.subjects.forEachMatching(SubjectFilter.of(subject), info -> best[0] = Math.max(best[0], info.last()));
        return best[0];
    }

    /** The first message stored at or after {@code target} nanoseconds, or the last sequence plus one. */
    static long sequenceAt(StreamLog log, long target) {
        SequenceIndex index = log.index;
        if (log.messages == 0) {
            return log.lastSeq + 1;
        }
        long low = index.next(log.firstSeq);
        long high = index.previous(log.lastSeq);
        if (target <= index.timestamp(low)) {
            return low;
        }
        if (target > index.timestamp(high)) {
            return log.lastSeq + 1;
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
    static SimpleState filteredState(StreamLog log, long from, SubjectFilter filter) {
        long start = Math.max(from, log.firstSeq);
        if (start > log.lastSeq || log.messages == 0) {
            return SimpleState.EMPTY;
        }
        if (filter.matchesAll()) {
            long count = start <= log.firstSeq ? log.messages : log.index.countBetween(start, log.lastSeq);
            if (count == 0) {
                return SimpleState.EMPTY;
            }
            return new SimpleState(count, log.index.next(start), log.index.previous(log.lastSeq));
        }
        long[] acc = {0, Long.MAX_VALUE, 0};
        log.subjects.forEachMatching(filter, info -> {
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
    static long numPending(StreamLog log, long from, SubjectFilter filter, boolean lastPerSubject) {
        long start = Math.max(from, log.firstSeq);
        if (start > log.lastSeq || log.messages == 0) {
            return 0;
        }
        if (lastPerSubject) {
            long[] count = {0};
            log.subjects.forEachMatching(filter, info -> {
                if (info.last() >= start) {
                    count[0]++;
                }
            });
            return count[0];
        }
        return filteredState(log, start, filter).messages();
    }

    /** Per matching subject: count, first and last, sorted by subject. */
    static Map<String, SimpleState> subjectsState(StreamLog log, SubjectFilter filter) {
        Map<String, SimpleState> result = new TreeMap<>();
        log.subjects.forEachMatching(filter,
                info -> result.put(info.subject(), new SimpleState(info.count(), info.first(), info.last())));
        return Collections.unmodifiableMap(result);
    }

    /** Per matching subject: its message count, sorted by subject. */
    static Map<String, Long> subjectsTotals(StreamLog log, SubjectFilter filter) {
        Map<String, Long> result = new TreeMap<>();
        log.subjects.forEachMatching(filter, info -> result.put(info.subject(), info.count()));
        return Collections.unmodifiableMap(result);
    }

    /** The last sequence of each matching subject up to {@code upTo} (0 for all), ascending. */
    static List<Long> lastSequences(StreamLog log, SubjectFilter filter, long upTo, int maxAllowed) {
        long limit = upTo <= 0 ? log.lastSeq : upTo;
        List<Long> result = new ArrayList<>();
        log.subjects.forEachMatching(filter, info -> {
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
    static long[] deleted(StreamLog log, long expected) {
        long[] result = new long[(int) Math.min(expected, Integer.MAX_VALUE - 8)];
        int n = 0;
        long seq = log.firstSeq;
        while (seq <= log.lastSeq && n < result.length) {
            long next = log.index.next(seq);
            long end = next < 0 ? log.lastSeq + 1 : next;
            for (long gap = seq; gap < end && n < result.length; gap++) {
                result[n++] = gap;
            }
            seq = end + 1;
        }
        return n == result.length ? result : java.util.Arrays.copyOf(result, n);
    }

    static String subjectOf(StreamLog log, long seq) {
        return log.subjects.byId(log.index.subjectId(seq)).subject();
    }
}
