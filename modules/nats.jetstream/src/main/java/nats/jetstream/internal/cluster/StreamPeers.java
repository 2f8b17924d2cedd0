package nats.jetstream.internal.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The meta leader's choices of a stream group's peers when its membership changes (Go's
 * {@code remapStreamAssignment} and the replica changes of a stream update): a removed peer is replaced by an online
 * meta member not in the group, at random, when there is one; a larger {@code num_replicas} adds such members; a
 * smaller one keeps the group's leader (where this server knows it) and the first of the others.
 */
final class StreamPeers {

    private StreamPeers() {
    }

    /** The peers without {@code removed}, plus a replacement if one is available (then {@code replaced}). */
    record Remap(List<String> peers, boolean replaced) {
    }

    static Remap remove(List<String> peers, String removed, List<String> candidates) {
        List<String> kept = new ArrayList<>(peers);
        kept.remove(removed);
        List<String> spare = spare(candidates, peers, removed);
        if (spare.isEmpty()) {
            return new Remap(List.copyOf(kept), false);
        }
        kept.add(spare.getFirst());
        return new Remap(List.copyOf(kept), true);
    }

    /** The peers for {@code replicas}, or empty when too few members are online to grow to it. */
    static Optional<List<String>> scale(List<String> peers, int replicas, List<String> candidates,
                                        Optional<String> leader) {
        if (replicas >= peers.size()) {
            List<String> spare = spare(candidates, peers, "");
            int missing = replicas - peers.size();
            if (spare.size() < missing) {
                return Optional.empty();
            }
            List<String> grown = new ArrayList<>(peers);
            grown.addAll(spare.subList(0, missing));
            return Optional.of(List.copyOf(grown));
        }
        List<String> ordered = new ArrayList<>();
        leader.filter(peers::contains).ifPresent(ordered::add);
        for (String p : peers) {
            if (!ordered.contains(p)) {
                ordered.add(p);
            }
        }
        return Optional.of(List.copyOf(ordered.subList(0, replicas)));
    }

    private static List<String> spare(List<String> candidates, List<String> peers, String removed) {
        List<String> spare = new ArrayList<>();
        for (String c : candidates) {
            if (!peers.contains(c) && !c.equals(removed)) {
                spare.add(c);
            }
        }
        Collections.shuffle(spare, ThreadLocalRandom.current());
        return spare;
    }
}
