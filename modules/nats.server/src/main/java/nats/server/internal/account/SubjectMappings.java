package nats.server.internal.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import nats.server.options.AccountConfig.Mapping;

/**
 * An account's subject mappings, applied to what its clients publish before permissions and routing (as
 * Go does in its parser). A weighted mapping picks one destination per message; weights that leave part
 * of 100 unassigned keep that share on the original subject.
 */
public final class SubjectMappings {

    private record Weighted(SubjectTransform transform, int upTo) {
    }

    private record Entry(String source, List<Weighted> destinations) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** @return the mappings, or null when there are none, so the publish path can skip them with one check */
    public static SubjectMappings of(List<Mapping> mappings) {
        if (mappings.isEmpty()) {
            return null;
        }
        SubjectMappings m = new SubjectMappings();
        for (Mapping mapping : mappings) {
            List<Weighted> weighted = new ArrayList<>();
            int total = 0;
            boolean sourceListed = false;
            for (Mapping.Destination d : mapping.destinations()) {
                total += d.weight();
                weighted.add(new Weighted(SubjectTransform.of(mapping.source(), d.subject()), total));
                sourceListed |= d.subject().equals(mapping.source());
            }
            if (total < 100 && !sourceListed) {
                weighted.add(new Weighted(null, 100));
            }
            m.entries.add(new Entry(mapping.source(), List.copyOf(weighted)));
        }
        return m;
    }

    /** {@code first}'s mappings, then {@code then}'s; either may be null (none). */
    public static SubjectMappings concat(SubjectMappings first, SubjectMappings then) {
        if (first == null || then == null) {
            return first == null ? then : first;
        }
        SubjectMappings m = new SubjectMappings();
        m.entries.addAll(first.entries);
        m.entries.addAll(then.entries);
        return m;
    }

    /** The mappings' sources, in order. */
    public List<String> sources() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.source);
        }
        return out;
    }

    /** Whether a mapping has exactly this source. */
    public boolean hasSource(String source) {
        for (Entry e : entries) {
            if (e.source.equals(source)) {
                return true;
            }
        }
        return false;
    }

    /** The subject a message published to {@code subject} goes to; {@code subject} itself when unmapped. */
    public String map(String subject) {
        for (Entry e : entries) {
            if (!e.destinations.get(0).transform().matches(subject) && !e.source.equals(subject)) {
                continue;
            }
            List<Weighted> ds = e.destinations;
            int roll = ds.size() == 1 ? 0 : ThreadLocalRandom.current().nextInt(100);
            for (Weighted w : ds) {
                if (roll < w.upTo()) {
                    return w.transform() == null ? subject : w.transform().apply(subject);
                }
            }
            return subject;
        }
        return subject;
    }
}
