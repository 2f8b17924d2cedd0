package nats.jetstream.internal.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nats.jetstream.internal.cluster.JsCluster;
import nats.jetstream.internal.engine.SubjectRules;
import nats.jetstream.internal.model.JsonIn;

/**
 * One page of an account's assigned streams, selected as Go's meta leader selects it for {@code STREAM.NAMES} and
 * {@code STREAM.LIST}: the request's {@code subject} filter against each stream's subjects (its name when it has
 * none), sorted by name, from {@code offset} (clamped to the count), at most {@code limit}.
 *
 * @param names   the page's stream names
 * @param matched how many streams matched the filter (Go's {@code total})
 * @param offset  the offset used
 */
record StreamPage(List<String> names, int matched, int offset) {

    /**
     * @param requestType Go's request type, named in an invalid-JSON error ({@code JSApiStreamNamesRequest})
     */
    static StreamPage of(ApiRequest req, String requestType, JsCluster cluster, int limit) {
        long offset = 0;
        String filter = "";
        if (!req.isEmptyBody()) {
            JsonIn in = new JsonIn(req.json(), requestType);
            offset = in.goInt("offset");
            filter = in.string("subject");
        }
        String account = req.account.name();
        List<String> matching = new ArrayList<>();
        for (String name : cluster.streamNames(account)) {
            if (filter.isEmpty() || matches(filter, name, cluster.streamConfig(account, name).orElse(Map.of()))) {
                matching.add(name);
            }
        }
        int from = (int) Math.min(Math.max(0, offset), matching.size());
        List<String> page = matching.subList(from, Math.min(matching.size(), from + limit));
        return new StreamPage(List.copyOf(page), matching.size(), from);
    }

    private static boolean matches(String filter, String name, Map<String, Object> config) {
        if (!(config.get("subjects") instanceof List<?> subjects) || subjects.isEmpty()) {
            return SubjectRules.collide(filter, name);
        }
        for (Object s : subjects) {
            if (s instanceof String subject && SubjectRules.collide(filter, subject)) {
                return true;
            }
        }
        return false;
    }
}
