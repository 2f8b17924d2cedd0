package nats.jetstream.internal.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.jetstream.internal.engine.Consumer;
import nats.jetstream.internal.engine.ConsumerAction;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.engine.SubjectRules;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.ConsumerSettings;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.JsonIn;

/** The {@code $JS.API.CONSUMER.*} requests, with Go's subject forms, checks and response shapes. */
final class ConsumerRequests {

    boolean dispatch(ApiRequest req, String op) {
        int n = req.tokenCount();
        switch (op) {
            case "CREATE" -> {
                if (n < 5) {
                    return false;
                }
                create(req, false);
            }
            case "DURABLE" -> {
                if (!req.token(4).equals("CREATE")) {
                    return false;
                }
                create(req, true);
            }
            case "NAMES" -> names(req);
            case "LIST" -> list(req);
            case "INFO" -> info(req);
            case "DELETE" -> delete(req);
            case "PAUSE" -> pause(req);
            case "LEADER" -> {
                req.type("consumer_leader_stepdown_response");
                throw new ApiException(JsErrors.CLUSTER_NOT_ACTIVE);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private enum Form { NEW, LEGACY_EPHEMERAL, LEGACY_DURABLE }

    /** Go's {@code jsConsumerCreateRequest}. */
    private void create(ApiRequest req, boolean durableForm) {
        req.type("consumer_create_response");
        Map<String, Object> body = req.json();
        JsonIn in = new JsonIn(body, "CreateConsumerRequest");
        String requestStream = in.string("stream_name");
        ConsumerSettings cfg = in.object("config", "ConsumerConfig")
                .map(c -> ConsumerSettings.parse(configMap(body))).orElseGet(ConsumerSettings::new);
        ConsumerAction action = in.named("action", ConsumerAction.CREATE_OR_UPDATE, ConsumerAction::parse);
        int n = req.tokenCount();
        Form form;
        String streamName;
        String consumerName = "";
        String filtered = "";
        if (durableForm) {
            form = Form.LEGACY_DURABLE;
            if (n != 7) {
                throw new ApiException(JsErrors.CONSUMER_DURABLE_NAME_NOT_IN_SUBJECT);
            }
            streamName = req.token(5);
            consumerName = req.token(6);
        } else if (n == 5) {
            form = Form.LEGACY_EPHEMERAL;
            streamName = req.token(4);
        } else {
            form = Form.NEW;
            streamName = req.token(4);
            consumerName = req.token(5);
            if (n > 6) {
                filtered = String.join(".", java.util.Arrays.copyOfRange(req.tokens, 6, n));
            }
        }
        if (!streamName.equals(requestStream)) {
            throw new ApiException(JsErrors.STREAM_MISMATCH);
        }
        if (!consumerName.isEmpty() && SubjectRules.hasPathSeparator(consumerName)) {
            throw new ApiException(JsErrors.CONSUMER_NAME_CONTAINS_PATH_SEPARATORS);
        }
        if (form == Form.LEGACY_DURABLE) {
            if (cfg.durable.isEmpty()) {
                throw new ApiException(JsErrors.CONSUMER_DURABLE_NAME_NOT_SET);
            }
            if (!consumerName.equals(cfg.durable)) {
                throw new ApiException(JsErrors.CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT);
            }
        }
        if (form == Form.NEW) {
            if (!cfg.durable.isEmpty() && !consumerName.equals(cfg.durable)) {
                throw new ApiException(JsErrors.CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT);
            }
            cfg.name = consumerName;
        }
        if (form == Form.LEGACY_EPHEMERAL && !cfg.durable.isEmpty()) {
            throw new ApiException(JsErrors.CONSUMER_EPHEMERAL_WITH_DURABLE_NAME);
        }
        if (!filtered.isEmpty()) {
            if (!cfg.filterSubjects.isEmpty()) {
                throw new ApiException(JsErrors.CONSUMER_MULTIPLE_FILTERS_NOT_ALLOWED);
            }
            if (!cfg.filterSubject.equals(filtered)) {
                throw new ApiException(JsErrors.CONSUMER_CREATE_FILTER_SUBJECT_MISMATCH);
            }
        }
        checkReplicas(cfg, req.account.stream(streamName));
        Stream stream = StreamRequests.stream(req.account, streamName);
        Consumer consumer;
        try {
            consumer = stream.createConsumer(cfg, consumerName, action);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiException(JsErrors.CONSUMER_CREATE, e.getMessage());
        }
        InfoJson.consumerInfo(req.response, consumer, consumer.takeInitialSnapshot());
    }

    /**
     * A clustered stream's consumer may have up to the stream's replicas (Go's checkConsumerCfg; it runs with its
     * stream's leader and its state is replicated on all the stream's peers whatever it asks); a single server
     * refuses more than one before it looks the stream up, as Go's does.
     */
    private static void checkReplicas(ConsumerSettings cfg, Optional<Stream> stream) {
        if (stream.isPresent() && stream.get().isReplica()) {
            if (cfg.replicas > Math.max(1, stream.get().config().replicas)) {
                throw new ApiException(JsErrors.CONSUMER_REPLICAS_EXCEEDS_STREAM);
            }
        } else if (cfg.replicas > 1) {
            throw new ApiException(JsErrors.STREAM_REPLICAS_NOT_SUPPORTED);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configMap(Map<String, Object> body) {
        Object c = new JsonIn(body, "CreateConsumerRequest").raw("config");
        return c instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Consumer consumer(ApiRequest req) {
        Stream stream = StreamRequests.stream(req.account, req.token(4));
        return stream.consumer(req.token(5)).orElseThrow(() -> new ApiException(JsErrors.CONSUMER_NOT_FOUND));
    }

    private void info(ApiRequest req) {
        req.type("consumer_info_response");
        if (req.tokenCount() != 6) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        InfoJson.consumerInfo(req.response, consumer(req));
    }

    private void delete(ApiRequest req) {
        req.type("consumer_delete_response");
        Consumer consumer = consumer(req);
        consumer.delete();
        req.response.put("success", true);
    }

    private void pause(ApiRequest req) {
        req.type("consumer_pause_response");
        Consumer consumer = consumer(req);
        Optional<Instant> until = req.isEmptyBody() ? Optional.empty()
                : new JsonIn(req.json(), "JSApiConsumerPauseRequest").time("pause_until");
        Consumer updated = consumer.pause(until.filter(t -> t.isAfter(Instant.now())));
        ConsumerSettings cfg = updated.config();
        boolean paused = cfg.pauseUntil.isPresent() && cfg.pauseUntil.get().isAfter(Instant.now());
        req.response.put("paused", paused);
        req.response.put("pause_until", cfg.pauseUntil.orElse(InfoJson.ZERO_TIME));
        if (paused) {
            req.response.put("pause_remaining", java.time.Duration.between(Instant.now(), cfg.pauseUntil.get()).toNanos());
        }
    }

    private static long offset(ApiRequest req, String struct) {
        return req.isEmptyBody() ? 0 : new JsonIn(req.json(), struct).goInt("offset");
    }

    private void names(ApiRequest req) {
        req.type("consumer_names_response");
        long offset = offset(req, "JSApiConsumersRequest");
        Stream stream = StreamRequests.stream(req.account, req.token(4));
        List<Consumer> all = new ArrayList<>(stream.consumers());
        int from = (int) Math.min(Math.max(0, offset), all.size());
        List<String> names = new ArrayList<>();
        for (Consumer c : all.subList(from, all.size())) {
            names.add(c.name());
            if (names.size() >= StreamRequests.NAMES_LIMIT) {
                break;
            }
        }
        req.response.put("total", all.size());
        req.response.put("offset", from);
        req.response.put("limit", StreamRequests.NAMES_LIMIT);
        req.response.put("consumers", names);
    }

    private void list(ApiRequest req) {
        req.type("consumer_list_response");
        long offset = offset(req, "JSApiConsumersRequest");
        Stream stream = StreamRequests.stream(req.account, req.token(4));
        List<Consumer> all = new ArrayList<>(stream.consumers());
        int from = (int) Math.min(Math.max(0, offset), all.size());
        List<Map<String, Object>> infos = new ArrayList<>();
        for (Consumer c : all.subList(from, all.size())) {
            Map<String, Object> info = new LinkedHashMap<>();
            InfoJson.consumerInfo(info, c);
            infos.add(info);
            if (infos.size() >= StreamRequests.LIST_LIMIT) {
                break;
            }
        }
        req.response.put("total", all.size());
        req.response.put("offset", from);
        req.response.put("limit", StreamRequests.LIST_LIMIT);
        req.response.put("consumers", infos);
    }
}
