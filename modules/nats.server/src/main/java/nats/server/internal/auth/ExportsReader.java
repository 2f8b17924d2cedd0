package nats.server.internal.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an account's exports and imports. A null element of either list (a nil pointer in Go, which the
 * server would trip over) is skipped.
 */
final class ExportsReader {

    private ExportsReader() {
    }

    static List<Export> exports(GoJsonFields nats) {
        List<Export> exports = new ArrayList<>();
        for (Object element : nats.array("exports")) {
            if (element != null) {
                exports.add(export(GoJsonFields.of(element, nats.path("exports"))));
            }
        }
        return List.copyOf(exports);
    }

    static List<Import> imports(GoJsonFields nats) {
        List<Import> imports = new ArrayList<>();
        for (Object element : nats.array("imports")) {
            if (element != null) {
                GoJsonFields json = GoJsonFields.of(element, nats.path("imports"));
                imports.add(new Import(
                        json.string("name"), json.string("subject"), json.string("account"), json.string("token"),
                        json.string("to"), json.string("local_subject"), exportType(json, "type"), json.bool("share")));
            }
        }
        return List.copyOf(imports);
    }

    private static Export export(GoJsonFields json) {
        return new Export(
                json.string("name"),
                json.string("subject"),
                exportType(json, "type"),
                json.bool("token_req"),
                AccountReader.revocations(json, "revocations"),
                json.string("response_type"),
                Duration.ofNanos(json.int64("response_threshold")),
                latency(json),
                json.unsigned("account_token_position", Long.MAX_VALUE),
                json.bool("advertise"),
                json.string("description"),
                json.string("info_url"));
    }

    private static Optional<Export.ServiceLatency> latency(GoJsonFields json) {
        if (json.value("service_latency") == null) {
            return Optional.empty();
        }
        GoJsonFields latency = json.object("service_latency");
        Object sampling = latency.value("sampling");
        long rate = sampling instanceof String s && s.toLowerCase(Locale.ROOT).equals("headers")
                ? 0
                : GoJsonFields.int64Value(sampling, latency.path("sampling"));
        return Optional.of(new Export.ServiceLatency(rate, latency.string("results")));
    }

    /**
     * Go's {@code ExportType} decoder: absent is UNKNOWN, but an explicit value (null included) must be
     * exactly "stream" or "service".
     */
    static ExportType exportType(GoJsonFields json, String name) {
        if (!json.has(name)) {
            return ExportType.UNKNOWN;
        }
        String type = GoJsonFields.stringValue(json.value(name), json.path(name));
        return switch (type) {
            case "stream" -> ExportType.STREAM;
            case "service" -> ExportType.SERVICE;
            default -> throw new JwtException("unknown export type \"" + type + "\"");
        };
    }
}
