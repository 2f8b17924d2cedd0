package nats.server.internal.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The subject routing table of one account: a trie over dot-separated tokens with {@code *} and {@code >}
 * wildcards, and a cache of match results. Every change bumps {@link #generation()} so per-connection
 * caches can tell when their entries are stale; the shared cache drops only the entries a change affects.
 */
public final class Sublist {

    /** Like the Go server: enough for hot subjects, small enough to sweep on change. */
    static final int CACHE_MAX = 1024;
    /** Once the cache is half full, one miss in this many is cached (a power of two). */
    static final int ADMIT_FULL = 16;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Level root = new Level();
    private final ConcurrentHashMap<String, MatchResult> cache = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger fullMisses = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private long count;

    /** Thrown for subjects that cannot be subscribed to. */
    public static final class InvalidSubjectException extends Exception {
        InvalidSubjectException(String subject) {
            super("invalid subject: " + subject, null, false, false);
        }
    }

    /**
     * Told of every subscription added to or removed from the list, in order, while the list is locked
     * (so a listener sees changes in the order they happened); it must be quick and may only read the list.
     */
    public interface ChangeListener {
        void inserted(ServerSubscription sub);

        void removed(ServerSubscription sub);
    }

    private final java.util.List<ChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /**
     * Adds {@code listener} and tells it, under the list's lock, about every subscription present as if it
     * had just been inserted: nothing added or removed meanwhile is missed or seen twice.
     */
    public void addListenerReplaying(ChangeListener listener) {
        lock.writeLock().lock();
        try {
            listeners.add(listener);
            List<ServerSubscription> present = new ArrayList<>();
            collectAll(root, present);
            for (ServerSubscription sub : present) {
                listener.inserted(sub);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void removeListener(ChangeListener listener) {
        listeners.remove(listener);
    }

    /** Changes whenever a subscription is added or removed. */
    public long generation() {
        return generation.get();
    }

    public long count() {
        lock.readLock().lock();
        try {
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    public void insert(ServerSubscription sub) throws InvalidSubjectException {
        String subject = sub.subject();
        List<String> tokens = tokenize(subject);
        // Validate fully before touching the trie, so a rejected subject leaves no nodes behind.
        if (tokens == null || fullWildcardBeforeLast(subject)) {
            throw new InvalidSubjectException(subject);
        }
        lock.writeLock().lock();
        try {
            Level level = root;
            Node node = null;
            for (String token : tokens) {
                switch (token) {
                    case "*" -> node = level.pwc != null ? level.pwc : (level.pwc = new Node());
                    case ">" -> node = level.fwc != null ? level.fwc : (level.fwc = new Node());
                    default -> node = level.literals.computeIfAbsent(token, t -> new Node());
                }
                if (node.next == null) {
                    node.next = new Level();
                }
                level = node.next;
            }
            node.add(sub);
            count++;
            // Shared entries go before the generation moves: a producer that sees the new generation must
            // not find a result from before the change (ResultCache relies on it).
            invalidate(subject);
            generation.incrementAndGet();
            for (ChangeListener l : listeners) {
                l.inserted(sub);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a subscription; returns false when it was not present. */
    public boolean remove(ServerSubscription sub) {
        List<String> tokens = tokenize(sub.subject());
        if (tokens == null) {
            return false;
        }
        lock.writeLock().lock();
        try {
            Node[] path = new Node[tokens.size()];
            Level[] levels = new Level[tokens.size()];
            Level level = root;
            for (int i = 0; i < tokens.size(); i++) {
                if (level == null) {
                    return false;
                }
                String token = tokens.get(i);
                Node node = switch (token) {
                    case "*" -> level.pwc;
                    case ">" -> level.fwc;
                    default -> level.literals.get(token);
                };
                if (node == null) {
                    return false;
                }
                levels[i] = level;
                path[i] = node;
                level = node.next;
            }
            if (!path[path.length - 1].remove(sub)) {
                return false;
            }
            prune(tokens, levels, path);
            count--;
            invalidate(sub.subject());
            generation.incrementAndGet();
            for (ChangeListener l : listeners) {
                l.removed(sub);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes empty nodes from the leaf upwards so the trie does not grow without bound. */
    private static void prune(List<String> tokens, Level[] levels, Node[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            Node node = path[i];
            if (!node.isEmpty() || (node.next != null && !node.next.isEmpty())) {
                return;
            }
            Level level = levels[i];
            switch (tokens.get(i)) {
                case "*" -> level.pwc = null;
                case ">" -> level.fwc = null;
                default -> level.literals.remove(tokens.get(i));
            }
        }
    }

    /** The shared cache's result for {@code subject}, or null when it holds none (it may have been dropped). */
    MatchResult cachedMatch(String subject) {
        return cache.get(subject);
    }

    /** All subscriptions matching a literal (or, as the Go server allows, wildcard-looking) subject. */
    public MatchResult match(String subject) {
        MatchResult cached = cache.get(subject);
        if (cached != null) {
            return cached;
        }
        List<String> tokens = tokenize(subject);
        if (tokens == null) {
            return MatchResult.EMPTY;
        }
        Collector collector = new Collector();
        lock.readLock().lock();
        try {
            matchLevel(root, tokens, 0, collector);
            MatchResult result = collector.build();
            int size = cache.size();
            if (size >= CACHE_MAX / 2) {
                // Past what a shrink leaves: admit one miss in ADMIT_FULL. Subjects used once (JetStream ack
                // subjects, unique inboxes) would otherwise cost an insert and, amortized, an eviction each; a
                // subject used again soon misses again and gets in after a few tries.
                if ((fullMisses.incrementAndGet() & (ADMIT_FULL - 1)) != 0) {
                    return result;
                }
                if (size >= CACHE_MAX) {
                    shrinkCache();
                }
            }
            cache.put(subject, result);
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * All subscriptions matching the subject {@code bytes[off, off + len)} (read as ISO-8859-1, as
     * {@link #match(String)} would see it), without making a String and without the shared cache: the path
     * for subjects a producer's {@link ResultCache} does not keep, mostly used once (JetStream acks, unique
     * reply inboxes). A result that comes from one trie node alone is that node's own, so such a miss
     * allocates nothing.
     *
     * @param scratch the calling producer's scratch, used by one thread at a time
     */
    MatchResult match(byte[] bytes, int off, int len, ByteMatch scratch) {
        int end = off + len;
        if (len == 0 || bytes[off] == '.' || bytes[end - 1] == '.') {
            return MatchResult.EMPTY;
        }
        for (int i = off + 1; i < end; i++) {
            if (bytes[i] == '.' && bytes[i - 1] == '.') {
                return MatchResult.EMPTY;
            }
        }
        lock.readLock().lock();
        try {
            matchLevel(root, bytes, off, end, scratch);
            return scratch.finish();
        } finally {
            scratch.clear();
            lock.readLock().unlock();
        }
    }

    /** {@link #matchLevel(Level, List, int, Collector)} on bytes: the same walk, the same order of nodes. */
    private static void matchLevel(Level level, byte[] bytes, int start, int end, ByteMatch out) {
        Level current = level;
        int i = start;
        while (current != null) {
            int dot = i;
            while (dot < end && bytes[dot] != '.') {
                dot++;
            }
            boolean last = dot == end;
            if (current.fwc != null) {
                out.hit(current.fwc);
            }
            if (current.pwc != null && !last) {
                matchLevel(current.pwc.next, bytes, dot + 1, end, out);
            }
            Node literal = current.literals.isEmpty() ? null : current.literals.get(out.token(bytes, i, dot));
            if (last) {
                if (literal != null) {
                    out.hit(literal);
                }
                if (current.pwc != null) {
                    out.hit(current.pwc);
                }
                return;
            }
            if (literal == null) {
                return;
            }
            current = literal.next;
            i = dot + 1;
        }
    }

    private static void matchLevel(Level level, List<String> tokens, int index, Collector out) {
        Level current = level;
        for (int i = index; i < tokens.size() && current != null; i++) {
            if (current.fwc != null) {
                out.addAll(current.fwc);
            }
            boolean last = i == tokens.size() - 1;
            if (current.pwc != null && !last) {
                matchLevel(current.pwc.next, tokens, i + 1, out);
            }
            Node literal = current.literals.get(tokens.get(i));
            if (last) {
                // Same order as the Go server: the literal node, then '*'. "foo.>" does not match "foo".
                if (literal != null) {
                    out.addAll(literal);
                }
                if (current.pwc != null) {
                    out.addAll(current.pwc);
                }
                return;
            }
            if (literal == null) {
                return;
            }
            current = literal.next;
        }
    }

    /** Whether a {@code >} token stands anywhere but last (an invalid subscription subject). */
    private static boolean fullWildcardBeforeLast(String subject) {
        int last = subject.length() - 1;
        for (int i = subject.indexOf('>'); i >= 0 && i < last; i = subject.indexOf('>', i + 1)) {
            if (SubjectMatcher.isWholeToken(subject, i)) {
                return true;
            }
        }
        return false;
    }

    /** Called under the write lock: drops cached results that the changed subject could affect. */
    private void invalidate(String changedSubject) {
        if (cache.isEmpty()) {
            return;
        }
        if (!SubjectMatcher.hasWildcard(changedSubject)) {
            // As Go: a literal subscription changes only the cached result of that very subject.
            cache.remove(changedSubject);
            return;
        }
        for (Iterator<String> it = cache.keySet().iterator(); it.hasNext(); ) {
            if (SubjectMatcher.matches(it.next(), changedSubject)) {
                it.remove();
            }
        }
    }

    private void shrinkCache() {
        int toRemove = cache.size() - CACHE_MAX / 2;
        for (Iterator<String> it = cache.keySet().iterator(); it.hasNext() && toRemove > 0; toRemove--) {
            it.next();
            it.remove();
        }
    }

    /**
     * Splits into tokens; null for an empty subject or an empty token. The tokens are made as they are asked
     * for: a match usually stops long before the end of a long subject (an ack subject's trie path ends in
     * {@code >} after four of its nine tokens), and each token made is a String to allocate and hash.
     */
    static List<String> tokenize(String subject) {
        if (subject.isEmpty()) {
            return null;
        }
        int dots = 0;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                dots++;
            }
        }
        int[] starts = new int[dots + 2];
        int n = 0;
        int start = 0;
        for (int i = 0; i <= subject.length(); i++) {
            if (i == subject.length() || subject.charAt(i) == '.') {
                if (i == start) {
                    return null;
                }
                starts[n++] = start;
                start = i + 1;
            }
        }
        starts[n] = subject.length() + 1;
        return new Tokens(subject, starts, n);
    }

    /** The tokens of a subject, each made (once) when first read. */
    private static final class Tokens extends java.util.AbstractList<String> implements java.util.RandomAccess {
        private final String subject;
        /** Token i spans [starts[i], starts[i + 1] - 1). */
        private final int[] starts;
        private final String[] made;

        Tokens(String subject, int[] starts, int count) {
            this.subject = subject;
            this.starts = starts;
            this.made = new String[count];
        }

        @Override
        public String get(int index) {
            String token = made[index];
            if (token == null) {
                token = subject.substring(starts[index], starts[index + 1] - 1);
                made[index] = token;
            }
            return token;
        }

        @Override
        public int size() {
            return made.length;
        }
    }

    /** Every subscription, for listing and shutdown. */
    public List<ServerSubscription> all() {
        List<ServerSubscription> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            collectAll(root, out);
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    private static void collectAll(Level level, List<ServerSubscription> out) {
        if (level == null) {
            return;
        }
        for (Node node : level.literals.values()) {
            node.collect(out);
            collectAll(node.next, out);
        }
        for (Node node : new Node[] {level.pwc, level.fwc}) {
            if (node != null) {
                node.collect(out);
                collectAll(node.next, out);
            }
        }
    }

    private static final class Level {
        final HashMap<String, Node> literals = new HashMap<>(4);
        Node pwc;
        Node fwc;

        boolean isEmpty() {
            return literals.isEmpty() && pwc == null && fwc == null;
        }
    }

    static final class Node {
        Level next;
        List<ServerSubscription> plain = List.of();
        Map<String, List<ServerSubscription>> queues = Map.of();
        /**
         * The result when this node is the only one matching, made on first need under the read lock and
         * dropped on every change under the write lock (a racing reader may make an equal one; MatchResult's
         * final fields publish it safely).
         */
        private MatchResult alone;

        MatchResult alone() {
            MatchResult result = alone;
            if (result == null) {
                Collector collector = new Collector();
                collector.addEach(this);
                result = collector.build();
                alone = result;
            }
            return result;
        }

        void add(ServerSubscription sub) {
            alone = null;
            if (sub.isQueue()) {
                if (queues.isEmpty()) {
                    queues = new LinkedHashMap<>(2);
                }
                queues.computeIfAbsent(sub.queue(), q -> new ArrayList<>(2)).add(sub);
            } else {
                if (plain.isEmpty()) {
                    plain = new ArrayList<>(2);
                }
                plain.add(sub);
            }
        }

        boolean remove(ServerSubscription sub) {
            alone = null;
            if (!sub.isQueue()) {
                return !plain.isEmpty() && plain.remove(sub);
            }
            List<ServerSubscription> members = queues.get(sub.queue());
            if (members == null || !members.remove(sub)) {
                return false;
            }
            if (members.isEmpty()) {
                queues.remove(sub.queue());
            }
            return true;
        }

        boolean isEmpty() {
            return plain.isEmpty() && queues.isEmpty();
        }

        void collect(List<ServerSubscription> out) {
            out.addAll(plain);
            queues.values().forEach(out::addAll);
        }
    }

    /**
     * Gathers matches from several trie nodes, merging queue members of the same group. While only one
     * non-empty node matched, its own result ({@link Node#alone()}) is the answer and nothing is copied.
     */
    static final class Collector {
        private final List<ServerSubscription> plain = new ArrayList<>();
        private Map<String, List<ServerSubscription>> queues;
        private List<ServerSubscription> links;
        private boolean remoteQueueMembers;
        private Node only;
        private boolean several;

        void addAll(Node node) {
            if (node.isEmpty()) {
                return;
            }
            if (!several && only == null) {
                only = node;
                return;
            }
            if (!several) {
                several = true;
                addEach(only);
            }
            addEach(node);
        }

        private void addEach(Node node) {
            for (ServerSubscription sub : node.plain) {
                if (sub.subscriber() instanceof RemoteSubscriber) {
                    addLink(sub);
                } else {
                    plain.add(sub);
                }
            }
            if (!node.queues.isEmpty()) {
                if (queues == null) {
                    queues = new LinkedHashMap<>();
                }
                node.queues.forEach((q, members) -> {
                    queues.computeIfAbsent(q, k -> new ArrayList<>()).addAll(members);
                    for (ServerSubscription member : members) {
                        remoteQueueMembers |= member.subscriber() instanceof RemoteSubscriber;
                    }
                });
            }
        }

        /** A link gets a message once however many of its subscriptions match: keep one per link. */
        private void addLink(ServerSubscription sub) {
            if (links == null) {
                links = new ArrayList<>(2);
            }
            for (ServerSubscription known : links) {
                if (known.subscriber() == sub.subscriber()) {
                    return;
                }
            }
            links.add(sub);
        }

        MatchResult build() {
            if (!several && only != null) {
                return only.alone();
            }
            if (plain.isEmpty() && queues == null && links == null) {
                return MatchResult.EMPTY;
            }
            ServerSubscription[][] groups = queues == null ? new ServerSubscription[0][]
                    : queues.values().stream().map(l -> l.toArray(ServerSubscription[]::new))
                            .toArray(ServerSubscription[][]::new);
            ServerSubscription[] linkArray = links == null ? new ServerSubscription[0]
                    : links.toArray(ServerSubscription[]::new);
            return new MatchResult(plain.toArray(ServerSubscription[]::new), groups, linkArray, remoteQueueMembers);
        }
    }
}
