package nats.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.SubjectMatcher;
import nats.server.internal.routing.Sublist;
import nats.server.options.Permissions;

/**
 * Checks one connection's PUB and SUB subjects against its user's permissions, the way the Go server does:
 * the allow and deny filters live in small sublists and the subject is matched against them. Publish
 * decisions are cached per subject. Used by one connection's reader only.
 */
public final class PermissionChecker {

    private static final int CACHE_MAX = 1024;

    private final Sublist publishAllow;
    private final Sublist publishDeny;
    private final Sublist subscribeAllow;
    private final Sublist subscribeDeny;
    private final Map<String, Boolean> publishCache = new HashMap<>();
    /** Delivery decisions per subject; filled by publishers' threads, so concurrent. */
    private final Map<String, Boolean> deliveryDenied = new java.util.concurrent.ConcurrentHashMap<>();

    public PermissionChecker(Permissions permissions) {
        publishAllow = permissions.publish().allow().map(PermissionChecker::filters).orElse(null);
        publishDeny = permissions.publish().deny().isEmpty() ? null : filters(permissions.publish().deny());
        subscribeAllow = permissions.subscribe().allow().map(PermissionChecker::filters).orElse(null);
        subscribeDeny = permissions.subscribe().deny().isEmpty() ? null : filters(permissions.subscribe().deny());
    }

    /** Entries are subject filters, optionally followed by a queue name after a space. */
    private static Sublist filters(List<String> entries) {
        Sublist list = new Sublist();
        for (String entry : entries) {
            String trimmed = entry.strip();
            int space = trimmed.indexOf(' ');
            String subject = space < 0 ? trimmed : trimmed.substring(0, space);
            String queue = space < 0 ? null : trimmed.substring(space + 1).strip();
            try {
                list.insert(new ServerSubscription(null, subject, queue, entry.getBytes(StandardCharsets.UTF_8)));
            } catch (Sublist.InvalidSubjectException e) {
                throw new IllegalArgumentException("invalid subject in permissions: " + entry, e);
            }
        }
        return list;
    }

    public boolean canPublish(String subject) {
        if (publishAllow == null && publishDeny == null) {
            return true;
        }
        Boolean cached = publishCache.get(subject);
        if (cached != null) {
            return cached;
        }
        boolean allowed = publishAllow == null || publishAllow.match(subject).plain().length > 0;
        if (allowed && publishDeny != null) {
            allowed = publishDeny.match(subject).plain().length == 0;
        }
        if (publishCache.size() >= CACHE_MAX) {
            publishCache.clear();
        }
        publishCache.put(subject, allowed);
        return allowed;
    }

    /** Whether a subscribe deny list exists, so deliveries need {@link #deniesDelivery}. */
    public boolean deniesSomeDeliveries() {
        return subscribeDeny != null;
    }

    /**
     * Go's checkDenySub: a wildcard subscription may overlap a denied subject, so each message is checked
     * against the deny list before it is delivered (decisions cached per subject).
     */
    public boolean deniesDelivery(String subject) {
        if (subscribeDeny == null) {
            return false;
        }
        Boolean cached = deliveryDenied.get(subject);
        if (cached != null) {
            return cached;
        }
        boolean denied = subscribeDeny.match(subject).plain().length > 0;
        if (deliveryDenied.size() >= CACHE_MAX) {
            deliveryDenied.clear();
        }
        deliveryDenied.put(subject, denied);
        return denied;
    }

    /** As Go's canSubscribe: a queue named in the lists decides for queue subscriptions. */
    public boolean canSubscribe(String subject, String queue) {
        boolean allowed = true;
        if (subscribeAllow != null) {
            MatchResult r = subscribeAllow.match(subject);
            allowed = r.plain().length > 0;
            if (queue != null && r.queueGroups().length > 0) {
                allowed = queueMatches(queue, r);
            }
        }
        if (allowed && subscribeDeny != null) {
            MatchResult r = subscribeDeny.match(subject);
            allowed = r.plain().length == 0;
            if (queue != null && r.queueGroups().length > 0) {
                allowed = !queueMatches(queue, r);
            }
        }
        return allowed;
    }

    private static boolean queueMatches(String queue, MatchResult r) {
        for (ServerSubscription[] group : r.queueGroups()) {
            String pattern = group[0].queue();
            if (pattern.equals(queue) || SubjectMatcher.matches(queue, pattern)) {
                return true;
            }
        }
        return false;
    }
}
