package nats.jetstream.internal.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stream's {@code mirror} or one of its {@code sources} (Go's {@code StreamSource}).
 *
 * @param name         the origin stream
 * @param optStartSeq  {@code opt_start_seq}, 0 when unset
 * @param optStartTime {@code opt_start_time}
 * @param filterSubject {@code filter_subject}, empty when unset
 * @param transforms   {@code subject_transforms}
 * @param apiPrefix    {@code external.api}, empty for a stream of the same domain
 * @param deliverPrefix {@code external.deliver}
 */
public record StreamSource(String name, long optStartSeq, Optional<Instant> optStartTime, String filterSubject,
                           List<SubjectTransformSpec> transforms, String apiPrefix, String deliverPrefix) {

    public StreamSource {
        transforms = List.copyOf(transforms);
    }

    static StreamSource parse(JsonIn in) {
        List<SubjectTransformSpec> transforms = new ArrayList<>();
        for (JsonIn t : in.objects("subject_transforms", "SubjectTransformConfig")) {
            transforms.add(SubjectTransformSpec.parse(t));
        }
        Optional<JsonIn> ext = in.object("external", "ExternalStream");
        return new StreamSource(in.string("name"), in.uint64("opt_start_seq"), in.time("opt_start_time"),
                in.string("filter_subject"), transforms, ext.map(e -> e.string("api")).orElse(""),
                ext.map(e -> e.string("deliver")).orElse(""));
    }

    /** Whether the source is a stream in another domain or account. */
    public boolean isExternal() {
        return !apiPrefix.isEmpty() || !deliverPrefix.isEmpty();
    }

    /** The name Go indexes sources by: the name, plus the filter and external API prefix when they differ. */
    public String indexName() {
        StringBuilder b = new StringBuilder(name);
        if (!apiPrefix.isEmpty()) {
            b.append(':').append(apiPrefix);
        }
        if (!filterSubject.isEmpty()) {
            b.append(' ').append(filterSubject);
        }
        for (SubjectTransformSpec t : transforms) {
            b.append(' ').append(t.source()).append('>').append(t.destination());
        }
        return b.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (optStartSeq > 0) {
            m.put("opt_start_seq", optStartSeq);
        }
        optStartTime.ifPresent(t -> m.put("opt_start_time", t));
        if (!filterSubject.isEmpty()) {
            m.put("filter_subject", filterSubject);
        }
        if (!transforms.isEmpty()) {
            m.put("subject_transforms", transforms.stream().map(SubjectTransformSpec::toJson).toList());
        }
        if (isExternal()) {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("api", apiPrefix);
            ext.put("deliver", deliverPrefix);
            m.put("external", ext);
        }
        return m;
    }
}
