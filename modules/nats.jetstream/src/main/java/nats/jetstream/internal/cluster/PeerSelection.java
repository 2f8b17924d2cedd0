package nats.jetstream.internal.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Go's selectPeerGroup for one cluster: which meta members may hold a stream's replicas, as its {@code placement}
 * ({@code cluster}, {@code tags}) and the server's {@code unique_tag} allow. A member must be in the named
 * cluster, online, without the {@code !jetstream} tag, carry every placement tag, and, with a {@code unique_tag}
 * prefix, carry a tag with that prefix no other chosen member has (unless the placement names such a tag itself).
 * Tags compare without case, as Go's tag lists. A stream with {@code max_bytes} needs that much room left on the
 * member in its storage type, and with {@code max_ha_assets} set a member already in more RAFT groups is skipped.
 * The eligible come most room first and, for a replicated stream, fewest RAFT groups first (Go sorts the shuffled
 * peers the same way). When too few remain, the error text says why as Go's selectPeerError does
 * ({@code no suitable peers for placement, peer offline, insufficient storage, tags not matched ['x']}...).
 */
public final class PeerSelection {

    /** Go's jsExcludePlacement: a server with this tag holds no replica. */
    static final String EXCLUDE = "!jetstream";

    /**
     * A meta member as placement sees it.
     *
     * @param available room left in the stream's storage type (its limit less what its streams reserve)
     * @param haAssets  the RAFT groups it is in, the meta group included (Go's {@code ha_assets})
     */
    public record Node(String id, String cluster, boolean online, Set<String> tags, long available, int haAssets) {
    }

    /**
     * What the stream needs beyond its placement.
     *
     * @param maxBytes    its {@code max_bytes}, 0 or less for none
     * @param maxHaAssets the server's {@code max_ha_assets}, 0 for no cap
     * @param replicated  whether it has more than one replica (then the fewest RAFT groups go first)
     */
    public record Demand(long maxBytes, long maxHaAssets, boolean replicated) {
    }

    /** What a stream's placement asks: a cluster ("" for this one) and tags. */
    public record Placement(String cluster, List<String> tags) {

        public static final Placement NONE = new Placement("", List.of());

        /** The {@code placement} object of a stream's configuration. */
        public static Placement of(Optional<Map<String, Object>> placement) {
            if (placement.isEmpty()) {
                return NONE;
            }
            Map<String, Object> p = placement.get();
            String cluster = p.get("cluster") instanceof String c ? c : "";
            List<String> tags = new ArrayList<>();
            if (p.get("tags") instanceof List<?> list) {
                for (Object t : list) {
                    String tag = normalize(String.valueOf(t));
                    if (!tag.isEmpty() && !tags.contains(tag)) {
                        tags.add(tag);
                    }
                }
            }
            return new Placement(cluster, tags);
        }
    }

    /** The members that may be chosen, in the order given, or why there are too few. */
    public record Result(List<String> eligible, String error) {
    }

    private PeerSelection() {
    }

    /** A tag as Go's TagList keeps it: trimmed, lower case. */
    static String normalize(String tag) {
        return tag.strip().toLowerCase(Locale.ROOT);
    }

    static Set<String> normalize(Collection<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tags) {
            String n = normalize(t);
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * The members eligible for {@code needed} new replicas, besides {@code existing} ones (kept, and counting for
     * the unique tag).
     *
     * @param ownCluster      this cluster's name, the target when the placement names none
     * @param uniqueTagPrefix the server's {@code unique_tag}, "" for none
     */
    public static Result select(int needed, Placement placement, Demand demand, Collection<Node> nodes,
                                Collection<String> existing, String ownCluster, String uniqueTagPrefix) {
        String target = placement.cluster().isEmpty() ? ownCluster : placement.cluster();
        String unique = uniqueTagPrefix;
        for (String t : placement.tags()) {
            if (!unique.isEmpty() && t.startsWith(unique)) {
                // Go: a placement that names a tag with the prefix turns the uniqueness check off.
                unique = "";
            }
        }
        Map<String, String> uniqueOwners = new HashMap<>();
        Map<String, Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        if (!unique.isEmpty()) {
            for (String e : existing) {
                Node n = byId.get(e);
                if (n != null) {
                    uniqueTag(n, unique).ifPresent(t -> uniqueOwners.putIfAbsent(t, n.id()));
                }
            }
        }
        boolean offline = false;
        boolean excluded = false;
        boolean notUnique = false;
        boolean noStorage = false;
        boolean misc = false;
        Set<String> missing = new LinkedHashSet<>();
        List<Node> eligible = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.cluster().equals(target) || existing.contains(n.id())) {
                continue;
            }
            if (!n.online()) {
                offline = true;
                continue;
            }
            if (n.tags().contains(EXCLUDE)) {
                excluded = true;
                continue;
            }
            Optional<String> absent = placement.tags().stream().filter(t -> !n.tags().contains(t)).findFirst();
            if (absent.isPresent()) {
                missing.add(absent.get());
                continue;
            }
            if (demand.maxBytes() > 0 && demand.maxBytes() > n.available()) {
                noStorage = true;
                continue;
            }
            // Go's ha_assets count the meta group, hence "more than" the cap.
            if (demand.maxHaAssets() > 0 && n.haAssets() > demand.maxHaAssets()) {
                misc = true;
                continue;
            }
            if (!unique.isEmpty()) {
                Optional<String> tag = uniqueTag(n, unique);
                if (tag.isEmpty() || uniqueOwners.putIfAbsent(tag.get(), n.id()) != null) {
                    notUnique = true;
                    continue;
                }
            }
            eligible.add(n);
        }
        eligible.sort(Comparator.comparingLong(Node::available).reversed());
        if (demand.replicated()) {
            eligible.sort(Comparator.comparingInt(Node::haAssets));
        }
        List<String> ids = eligible.stream().map(Node::id).toList();
        if (ids.size() >= needed) {
            return new Result(ids, "");
        }
        StringBuilder b = new StringBuilder("no suitable peers for placement");
        if (offline) {
            b.append(", peer offline");
        }
        if (excluded) {
            b.append(", exclude tag set");
        }
        if (noStorage) {
            b.append(", insufficient storage");
        }
        if (notUnique) {
            b.append(", server tag not unique");
        }
        if (misc) {
            b.append(", miscellaneous issue");
        }
        if (nodes.isEmpty()) {
            b.append(", jetstream not enabled in cluster");
        }
        if (!missing.isEmpty()) {
            b.append(", tags not matched [");
            b.append(String.join(", ", missing.stream().map(t -> "'" + t + "'").toList()));
            b.append(']');
        }
        return new Result(ids, b.toString());
    }

    /** Go's checkUniqueTag: the member's first tag with the prefix. */
    private static Optional<String> uniqueTag(Node n, String prefix) {
        return n.tags().stream().filter(t -> t.startsWith(prefix)).findFirst();
    }
}
