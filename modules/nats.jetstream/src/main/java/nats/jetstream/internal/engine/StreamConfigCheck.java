package nats.jetstream.internal.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import nats.jetstream.internal.config.AccountLimits;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.Policies.Discard;
import nats.jetstream.internal.model.Policies.Storage;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.internal.model.StreamSource;

/**
 * Checks a requested stream configuration and fills in the defaults, as Go's {@code checkStreamCfg} and
 * {@code configUpdateCheck} do, with their error texts.
 */
final class StreamConfigCheck {

    private static final Duration DEFAULT_DUPLICATES = Duration.ofMinutes(2);
    private static final Duration MIN_WINDOW = Duration.ofMillis(100);

    private final JsAccount account;
    /** The account's streams' configurations by name: this server's streams, or a cluster's assignments. */
    private final java.util.function.Function<String, Optional<StreamSettings>> streams;

    StreamConfigCheck(JsAccount account) {
        this(account, name -> account.stream(name).map(Stream::config));
    }

    StreamConfigCheck(JsAccount account, java.util.function.Function<String, Optional<StreamSettings>> streams) {
        this.account = account;
        this.streams = streams;
    }

    private static ApiException invalid(String text) {
        return new ApiException(JsErrors.STREAM_INVALID_CONFIG, text);
    }

    /** The configuration a create request asks for, with Go's defaults, or Go's error. */
    StreamSettings check(StreamSettings requested) {
        if (!SubjectRules.isValidName(requested.name)) {
            throw invalid("stream name is required and can not contain '.', '*', '>'");
        }
        if (requested.name.length() > SubjectRules.MAX_NAME_LENGTH) {
            throw invalid("stream name is too long, maximum allowed is " + SubjectRules.MAX_NAME_LENGTH);
        }
        if (requested.description.length() > SubjectRules.MAX_DESCRIPTION_LENGTH) {
            throw invalid("stream description is too long, maximum allowed is " + SubjectRules.MAX_DESCRIPTION_LENGTH);
        }
        StreamSettings cfg = requested.copy();
        if (cfg.replicas == 0) {
            cfg.replicas = 1;
        }
        if (cfg.replicas > 5) {
            throw invalid("maximum replicas is 5");
        }
        if (cfg.replicas < 0) {
            throw new ApiException(JsErrors.REPLICAS_COUNT_CANNOT_BE_NEGATIVE);
        }
        if (cfg.maxMsgs == 0) {
            cfg.maxMsgs = -1;
        }
        if (cfg.maxMsgsPerSubject == 0) {
            cfg.maxMsgsPerSubject = -1;
        }
        if (cfg.maxBytes == 0) {
            cfg.maxBytes = -1;
        }
        if (cfg.maxMsgSize == 0) {
            cfg.maxMsgSize = -1;
        }
        if (cfg.maxConsumers == 0) {
            cfg.maxConsumers = -1;
        }
        Duration serverDuplicates = account.js().options().limits().duplicates();
        if (cfg.duplicateWindow.isZero() && cfg.mirror.isEmpty()) {
            Duration window = DEFAULT_DUPLICATES;
            if (!serverDuplicates.isZero() && window.compareTo(serverDuplicates) > 0) {
                window = serverDuplicates;
            }
            cfg.duplicateWindow = !cfg.maxAge.isZero() && cfg.maxAge.compareTo(window) < 0 ? cfg.maxAge : window;
        }
        if (cfg.maxAge.isNegative() || (!cfg.maxAge.isZero() && cfg.maxAge.compareTo(MIN_WINDOW) < 0)) {
            throw invalid("max age needs to be >= 100ms");
        }
        if (cfg.duplicateWindow.isNegative()) {
            throw invalid("duplicates window can not be negative");
        }
        if (!cfg.maxAge.isZero() && cfg.duplicateWindow.compareTo(cfg.maxAge) > 0) {
            throw invalid("duplicates window can not be larger then max age");
        }
        if (!serverDuplicates.isZero() && cfg.duplicateWindow.compareTo(serverDuplicates) > 0) {
            throw invalid("duplicates window can not be larger then server limit of "
                    + GoDurations.format(serverDuplicates));
        }
        if (!cfg.duplicateWindow.isZero() && cfg.duplicateWindow.compareTo(MIN_WINDOW) < 0) {
            throw invalid("duplicates window needs to be >= 100ms");
        }
        if (cfg.denyPurge && cfg.allowRollup) {
            throw invalid("roll-ups require the purge permission");
        }
        checkDiscardNewPerSubject(cfg);
        checkSources(cfg);
        checkSubjects(cfg);
        checkMaxBytes(cfg);
        checkRepublish(cfg);
        cfg.subjectTransform.ifPresent(t -> {
            try {
                SubjectTransform.of(t.source(), t.destination());
            } catch (IllegalArgumentException e) {
                throw new ApiException(JsErrors.STREAM_TRANSFORM_INVALID_DESTINATION, e.getMessage());
            }
        });
        return cfg;
    }

    private static void checkDiscardNewPerSubject(StreamSettings cfg) {
        if (cfg.discardNewPerSubject) {
            if (cfg.discard != Discard.NEW) {
                throw invalid("discard new per subject requires discard new policy to be set");
            }
            if (cfg.maxMsgsPerSubject <= 0) {
                throw invalid("discard new per subject requires max msgs per subject > 0");
            }
        }
    }

    private void checkSources(StreamSettings cfg) {
        List<String> originSubjects = new ArrayList<>();
        if (cfg.mirror.isPresent()) {
            StreamSource mirror = cfg.mirror.get();
            if (!cfg.subjects.isEmpty()) {
                throw new ApiException(JsErrors.MIRROR_WITH_SUBJECTS);
            }
            if (!cfg.sources.isEmpty()) {
                throw new ApiException(JsErrors.MIRROR_WITH_SOURCES);
            }
            if (cfg.firstSeq > 0) {
                throw new ApiException(JsErrors.MIRROR_WITH_FIRST_SEQ);
            }
            if (mirror.optStartSeq() > 0 && mirror.optStartTime().isPresent()) {
                throw new ApiException(JsErrors.MIRROR_WITH_START_SEQ_AND_TIME);
            }
            if (!mirror.filterSubject().isEmpty() && !mirror.transforms().isEmpty()) {
                throw new ApiException(JsErrors.MIRROR_MULTIPLE_FILTERS_NOT_ALLOWED);
            }
            if (!SubjectRules.isValidName(mirror.name())) {
                throw new ApiException(JsErrors.MIRROR_INVALID_STREAM_NAME);
            }
            Optional<StreamSettings> origin = streams.apply(mirror.name());
            if (origin.isPresent()) {
                StreamSettings o = origin.get();
                originSubjects.addAll(o.subjects);
                if (cfg.maxMsgSize > 0 && o.maxMsgSize > 0 && cfg.maxMsgSize < o.maxMsgSize) {
                    throw new ApiException(JsErrors.MIRROR_MAX_MESSAGE_SIZE_TOO_BIG);
                }
                if (!overlaps(mirror.filterSubject(), o.subjects)) {
                    throw invalid("mirror '" + mirror.name() + "' filter subject '" + mirror.filterSubject()
                            + "' does not overlap with any origin stream subject");
                }
                cfg.mirrorDirect = o.allowDirect;
            }
            checkExternal(mirror, originSubjects);
        }
        Set<String> seen = new HashSet<>();
        for (StreamSource src : cfg.sources) {
            if (!SubjectRules.isValidName(src.name())) {
                throw new ApiException(JsErrors.SOURCE_INVALID_STREAM_NAME);
            }
            if (!seen.add(src.indexName())) {
                throw new ApiException(JsErrors.SOURCE_DUPLICATE_DETECTED);
            }
            if (!src.filterSubject().isEmpty() && !src.transforms().isEmpty()) {
                throw new ApiException(JsErrors.SOURCE_MULTIPLE_FILTERS_NOT_ALLOWED);
            }
            Optional<StreamSettings> origin = streams.apply(src.name());
            if (origin.isPresent()) {
                StreamSettings o = origin.get();
                originSubjects.addAll(o.subjects);
                if (cfg.maxMsgSize > 0 && o.maxMsgSize > 0 && cfg.maxMsgSize < o.maxMsgSize) {
                    throw new ApiException(JsErrors.SOURCE_MAX_MESSAGE_SIZE_TOO_BIG);
                }
                if (!overlaps(src.filterSubject(), originSubjects)) {
                    throw invalid("source '" + src.name() + "' filter subject '" + src.filterSubject()
                            + "' does not overlap with any origin stream subject");
                }
            }
            checkExternal(src, originSubjects);
        }
        checkCycles(cfg);
    }

    private static void checkExternal(StreamSource src, List<String> originSubjects) {
        if (!src.deliverPrefix().isEmpty()) {
            String pfx = src.deliverPrefix();
            if (!SubjectRules.isValidLiteralSubject(pfx)) {
                throw new ApiException(JsErrors.STREAM_INVALID_EXTERNAL_DELIVERY_SUBJ, "prefix", pfx);
            }
            for (String sub : originSubjects) {
                if (SubjectRules.collide(sub, pfx + "." + sub)) {
                    throw new ApiException(JsErrors.STREAM_EXTERNAL_DEL_PREFIX_OVERLAPS, "prefix", pfx, "subject", sub);
                }
            }
        }
        if (!src.apiPrefix().isEmpty()) {
            String api = src.apiPrefix();
            if (!SubjectRules.isValidLiteralSubject(api)) {
                throw invalid("stream external api prefix \"" + api + "\" must be a valid subject without wildcards");
            }
            if (SubjectRules.collide(api, "$JS.API")) {
                throw new ApiException(JsErrors.STREAM_EXTERNAL_API_OVERLAP, "prefix", api, "subject", "$JS.API");
            }
        }
    }

    private static boolean overlaps(String filter, List<String> subjects) {
        if (filter.isEmpty() || subjects.isEmpty()) {
            return true;
        }
        for (String s : subjects) {
            if (SubjectRules.collide(s, filter)) {
                return true;
            }
        }
        return false;
    }

    private void checkCycles(StreamSettings cfg) {
        List<StreamSettings> toVisit = new ArrayList<>(List.of(cfg));
        Set<String> visited = new HashSet<>();
        while (!toVisit.isEmpty()) {
            StreamSettings c = toVisit.removeFirst();
            visited.add(c.name);
            for (StreamSource src : c.sources) {
                if (src.isExternal()) {
                    continue;
                }
                if (visited.contains(src.name())) {
                    throw invalid("detected cycle");
                }
                streams.apply(src.name()).ifPresent(toVisit::add);
            }
            if (c.mirror.isPresent() && !c.mirror.get().isExternal()) {
                String m = c.mirror.get().name();
                if (visited.contains(m)) {
                    throw invalid("detected cycle");
                }
                streams.apply(m).ifPresent(toVisit::add);
            }
        }
    }

    private static void checkSubjects(StreamSettings cfg) {
        if (cfg.subjects.isEmpty()) {
            if (cfg.mirror.isEmpty() && cfg.sources.isEmpty()) {
                cfg.subjects = List.of(cfg.name);
            }
        } else {
            if (cfg.mirror.isPresent()) {
                throw new ApiException(JsErrors.MIRROR_WITH_SUBJECTS);
            }
            Set<String> seen = new HashSet<>();
            for (String subject : cfg.subjects) {
                if (!seen.add(subject)) {
                    throw invalid("duplicate subjects detected");
                }
                if (SubjectRules.isSubset(subject, "$JS.API.>")) {
                    throw invalid("subjects overlap with jetstream api");
                }
                if (!SubjectRules.isValidSubject(subject)) {
                    throw invalid("invalid subject");
                }
            }
        }
        if (cfg.subjects.isEmpty() && cfg.sources.isEmpty() && cfg.mirror.isEmpty()) {
            throw invalid("stream needs at least one configured subject or be a source/mirror");
        }
        if (cfg.subjects.size() > 1) {
            for (String a : cfg.subjects) {
                for (String b : cfg.subjects) {
                    if (!a.equals(b) && SubjectRules.collide(a, b)) {
                        throw invalid("subject \"" + a + "\" overlaps with \"" + b + "\"");
                    }
                }
            }
        }
    }

    private void checkMaxBytes(StreamSettings cfg) {
        AccountLimits limits = account.limits();
        long streamLimit = cfg.storage == Storage.MEMORY ? limits.memoryMaxStreamBytes() : limits.storeMaxStreamBytes();
        if (limits.maxBytesRequired() && cfg.maxBytes <= 0) {
            throw new ApiException(JsErrors.STREAM_MAX_BYTES_REQUIRED);
        }
        if (streamLimit > 0 && cfg.maxBytes > streamLimit) {
            throw new ApiException(JsErrors.STREAM_MAX_STREAM_BYTES_EXCEEDED);
        }
    }

    private static void checkRepublish(StreamSettings cfg) {
        if (cfg.republish.isEmpty()) {
            return;
        }
        var rp = cfg.republish.get();
        String source = rp.source().isEmpty() ? ">" : rp.source();
        boolean valid = cfg.subjects.stream().anyMatch(s -> SubjectRules.collide(source, s));
        if (!valid) {
            throw invalid("stream configuration for republish source is not valid subset of subjects");
        }
        if (cfg.subjects.stream().anyMatch(s -> SubjectRules.collide(rp.destination(), s))) {
            throw invalid("stream configuration for republish destination forms a cycle");
        }
        try {
            SubjectTransform.of(source, rp.destination());
        } catch (IllegalArgumentException e) {
            throw invalid("stream configuration for republish not valid");
        }
    }

    /** The configuration an update asks for, checked against the one in force ({@code configUpdateCheck}). */
    StreamSettings checkUpdate(StreamSettings old, StreamSettings requested) {
        StreamSettings cfg = check(requested);
        if (!cfg.name.equals(old.name)) {
            throw invalid("stream configuration name must match original");
        }
        if (cfg.maxConsumers != old.maxConsumers) {
            throw invalid("stream configuration update can not change MaxConsumers");
        }
        if (cfg.storage != old.storage) {
            throw invalid("stream configuration update can not change storage type");
        }
        if (cfg.retention != old.retention) {
            throw invalid("stream configuration update can not change retention policy");
        }
        if (!old.templateOwner.isEmpty()) {
            throw invalid("stream configuration update not allowed on template owned stream");
        }
        if (!cfg.templateOwner.isEmpty()) {
            throw invalid("stream configuration update can not be owned by a template");
        }
        if (!cfg.sealed && old.sealed) {
            throw invalid("stream configuration update can not unseal a sealed stream");
        }
        if (!cfg.denyDelete && old.denyDelete) {
            throw invalid("stream configuration update can not cancel deny message deletes");
        }
        if (!cfg.denyPurge && old.denyPurge) {
            throw invalid("stream configuration update can not cancel deny purge");
        }
        if (!Objects.equals(cfg.mirror.map(StreamSource::toJson), old.mirror.map(StreamSource::toJson))) {
            throw new ApiException(JsErrors.STREAM_MIRROR_NOT_UPDATABLE);
        }
        if (!Objects.equals(cfg.republish, old.republish)) {
            throw invalid("stream configuration update can not change RePublish");
        }
        if (cfg.sealed) {
            cfg.maxAge = Duration.ZERO;
            cfg.discard = Discard.NEW;
            cfg.denyDelete = true;
            cfg.denyPurge = true;
            cfg.allowRollup = false;
        }
        return cfg;
    }
}
