package nats.api.monitoring;

/**
 * JSON text placed into a document as it is (a document a plugin already rendered).
 *
 * @param json one complete JSON value
 */
public record RawJson(String json) {
}
