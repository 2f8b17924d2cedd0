package nats.jetstream.store.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import nats.jetstream.store.SimpleState;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.SubjectFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of operations (fixed seeds, bounded) applied to a store and to a plain model of what it
 * must hold: after every step the store's state, messages and answers to queries must match the model.
 */
@Timeout(120)
public abstract class StreamStorePropertyContract {

    private static final String[] SUBJECTS = {"a.x", "a.y", "b.x", "b.y.z", "c", "a.y"};
    private static final String[] FILTERS = {">", "a.*", "a.>", "*.x", "b.>", "c", "a.y", "nothing", "*"};
    private final List<StreamStore> opened = new ArrayList<>();

    protected abstract StreamStore create(StreamConfig config);

    /** Closes and reopens the store (a persistent backend); a memory backend returns it as it is. */
    protected abstract StreamStore reopen(StreamStore store, StreamConfig config);

    @AfterEach
    void deleteStores() {
        for (StreamStore store : opened) {
            try {
                store.delete();
            } catch (RuntimeException ignored) {
                // closed already
            }
        }
    }

    /** The model: messages by sequence, and the first and last sequence. */
    private static final class Model {
        final TreeMap<Long, String[]> messages = new TreeMap<>();
        long first = 1;
        long last;
        final long maxMessages;
        final long maxPerSubject;

        Model(long maxMessages, long maxPerSubject) {
            this.maxMessages = maxMessages;
            this.maxPerSubject = maxPerSubject;
        }

        void fixFirst() {
            first = messages.isEmpty() ? last + 1 : messages.firstKey();
        }

        void append(long sequence, String subject, String payload) {
            last = sequence;
            messages.put(sequence, new String[] {subject, payload});
            if (maxPerSubject > 0) {
                List<Long> same = new ArrayList<>();
                messages.forEach((seq, m) -> {
                    if (m[0].equals(subject)) {
                        same.add(seq);
                    }
                });
                for (int i = 0; i < same.size() - maxPerSubject; i++) {
                    messages.remove(same.get(i));
                }
            }
            while (maxMessages > 0 && messages.size() > maxMessages) {
                messages.pollFirstEntry();
            }
            fixFirst();
        }

        boolean remove(long sequence) {
            boolean removed = messages.remove(sequence) != null;
            fixFirst();
            return removed;
        }

        long purge(String filter, long below, long keep) {
            if (below == 1) {
                return 0;
            }
            if ((filter.isEmpty() || filter.equals(">")) && keep <= 0 && below <= 0) {
                long n = messages.size();
                messages.clear();
                fixFirst();
                return n;
            }
            if ((filter.isEmpty() || filter.equals(">")) && below > 1) {
                return compact(below);
            }
            SubjectFilter f = SubjectFilter.of(filter);
            List<Long> matching = new ArrayList<>();
            messages.forEach((seq, m) -> {
                if (f.matches(m[0])) {
                    matching.add(seq);
                }
            });
            if (matching.isEmpty() || keep > 0 && keep >= matching.size()) {
                return 0;
            }
            long limit = keep > 0 ? matching.size() - keep : Long.MAX_VALUE;
            long purged = 0;
            for (long seq : matching) {
                if (below > 0 && seq >= below || purged >= limit) {
                    break;
                }
                messages.remove(seq);
                purged++;
            }
            fixFirst();
            return purged;
        }

        long compact(long sequence) {
            if (first > sequence) {
                return 0;
            }
            if (sequence > last) {
                long n = messages.size();
                messages.clear();
                last = sequence - 1;
                fixFirst();
                return n;
            }
            long n = messages.headMap(sequence).size();
            messages.headMap(sequence).clear();
            fixFirst();
            return n;
        }

        void skip(long count) {
            last += count;
            fixFirst();
        }

        void truncate(long sequence) {
            messages.tailMap(sequence, false).clear();
            last = sequence;
            if (messages.isEmpty()) {
                first = sequence == 0 ? 1 : last + 1;
            } else {
                fixFirst();
            }
        }

        long[] deleted() {
            if (messages.isEmpty()) {
                return new long[0];
            }
            List<Long> gaps = new ArrayList<>();
            for (long seq = first; seq <= last; seq++) {
                if (!messages.containsKey(seq)) {
                    gaps.add(seq);
                }
            }
            return gaps.stream().mapToLong(Long::longValue).toArray();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomOperationsMatchTheModel(long seed) {
        Random random = new Random(seed);
        long maxMessages = seed % 3 == 0 ? 40 : 0;
        long maxPerSubject = seed % 2 == 0 ? 7 : 0;
        StreamConfig config = StreamConfig.builder("PROP").maxMessages(maxMessages)
                .maxMessagesPerSubject(maxPerSubject).build();
        StreamStore store = create(config);
        opened.add(store);
        Model model = new Model(maxMessages, maxPerSubject);
        java.util.ArrayDeque<String> history = new java.util.ArrayDeque<>();
        for (int step = 0; step < 600; step++) {
            int op = random.nextInt(100);
            String what;
            if (op < 55) {
                String subject = SUBJECTS[random.nextInt(SUBJECTS.length)];
                String payload = "p" + step + "-" + random.nextInt(1000);
                long seq = store.append(subject, new byte[0], payload.getBytes(UTF_8), 0).sequence();
                assertEquals(model.last + 1, seq, "seed " + seed + " step " + step + ": expected the next sequence");
                model.append(seq, subject, payload);
                what = "append " + subject;
            } else if (op < 70) {
                long seq = model.first - 2 + random.nextInt((int) Math.max(1, model.last - model.first + 5));
                boolean erase = random.nextBoolean();
                boolean removed = erase ? store.erase(seq) : store.remove(seq);
                assertEquals(model.remove(seq), removed, "seed " + seed + " step " + step + ": remove " + seq);
                what = "remove " + seq;
            } else if (op < 76) {
                String filter = random.nextInt(4) == 0 ? "" : FILTERS[random.nextInt(FILTERS.length)];
                long below = random.nextInt(3) == 0 ? model.first + random.nextInt(10) : 0;
                long keep = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
                long purged = store.purge(filter, below, keep);
                assertEquals(model.purge(filter, below, keep), purged,
                        "seed " + seed + " step " + step + ": purge " + filter + " below " + below + " keep " + keep);
                what = "purge " + filter + " " + below + " " + keep;
            } else if (op < 80) {
                long seq = model.first + random.nextInt(8) - 2;
                if (random.nextInt(10) == 0) {
                    seq = model.last + 1 + random.nextInt(3);
                }
                long compacted = store.compact(seq);
                assertEquals(model.compact(seq), compacted, "seed " + seed + " step " + step + ": compact " + seq);
                what = "compact " + seq;
            } else if (op < 85) {
                long count = 1 + random.nextInt(3);
                store.skip(model.last + 1, count);
                model.skip(count);
                what = "skip " + count;
            } else if (op < 88) {
                long seq = Math.max(0, model.last - random.nextInt(5));
                store.truncate(seq);
                model.truncate(seq);
                what = "truncate " + seq;
            } else if (op < 92) {
                store = reopen(store, config);
                opened.add(store);
                what = "reopen";
            } else {
                what = "query";
            }
            history.addLast(what);
            if (history.size() > 40) {
                history.removeFirst();
            }
            compare(store, model, random, "seed " + seed + " step " + step + " after " + history);
        }
    }

    private static void compare(StreamStore store, Model model, Random random, String where) {
        StreamState state = store.state();
        assertEquals(model.messages.size(), state.messages(), where + ": messages");
        assertEquals(model.first, state.firstSequence(), where + ": first_seq");
        assertEquals(model.last, state.lastSequence(), where + ": last_seq");
        assertArrayEquals(model.deleted(), state.deleted(), where + ": deleted sequences");
        assertEquals(model.messages.values().stream().map(m -> m[0]).distinct().count(), state.numSubjects(),
                where + ": num_subjects");
        for (int i = 0; i < 4; i++) {
            long seq = model.first - 1 + random.nextInt((int) Math.max(1, model.last - model.first + 3));
            String[] expected = model.messages.get(seq);
            Optional<StoredMessage> loaded = store.load(seq);
            assertEquals(expected != null, loaded.isPresent(), where + ": presence of " + seq);
            if (expected != null) {
                assertEquals(expected[0], loaded.get().subject(), where + ": subject of " + seq);
                assertEquals(expected[1], new String(loaded.get().payload(), UTF_8), where + ": payload of " + seq);
            }
        }
        String filterText = FILTERS[random.nextInt(FILTERS.length)];
        SubjectFilter filter = SubjectFilter.of(filterText);
        long from = model.first - 1 + random.nextInt((int) Math.max(1, model.last - model.first + 3));
        Map.Entry<Long, String[]> next = model.messages.tailMap(from, true).entrySet().stream()
                .filter(e -> filter.matches(e.getValue()[0])).findFirst().orElse(null);
        assertEquals(next == null ? Optional.empty() : Optional.of(next.getKey()),
                store.loadNext(filter, from).map(StoredMessage::sequence), where + ": loadNext " + filterText + " " + from);
        List<Long> matching = model.messages.tailMap(from, true).entrySet().stream()
                .filter(e -> filter.matches(e.getValue()[0])).map(Map.Entry::getKey).toList();
        SimpleState expectedState = matching.isEmpty() ? SimpleState.EMPTY
                : new SimpleState(matching.size(), matching.get(0), model.messages.entrySet().stream()
                        .filter(e -> filter.matches(e.getValue()[0])).mapToLong(Map.Entry::getKey).max().orElse(0));
        assertEquals(expectedState, store.filteredState(from, filter), where + ": filteredState " + filterText
                + " from " + from);
        assertEquals(matching.size(), store.numPending(from, filter, false).total(), where + ": numPending");
        long lastPerSubject = model.messages.entrySet().stream().filter(e -> filter.matches(e.getValue()[0]))
                .collect(java.util.stream.Collectors.toMap(e -> e.getValue()[0], Map.Entry::getKey, Math::max))
                .values().stream().filter(s -> s >= Math.max(from, model.first)).count();
        assertEquals(lastPerSubject, store.numPending(from, filter, true).total(), where + ": numPending last");
        String subject = SUBJECTS[random.nextInt(SUBJECTS.length)];
        Optional<Long> lastOfSubject = model.messages.descendingMap().entrySet().stream()
                .filter(e -> e.getValue()[0].equals(subject)).map(Map.Entry::getKey).findFirst();
        assertEquals(lastOfSubject, store.loadLast(subject).map(StoredMessage::sequence), where + ": loadLast " + subject);
    }
}
