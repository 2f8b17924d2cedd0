package nats.jetstream.internal.engine;

/** The {@code action} of a consumer create request (Go 2.10+): create, update, or either. */
public enum ConsumerAction {
    CREATE_OR_UPDATE, CREATE, UPDATE;

    public static ConsumerAction parse(String json) {
        return switch (json) {
            case "", "create_or_update" -> CREATE_OR_UPDATE;
            case "create" -> CREATE;
            case "update" -> UPDATE;
            default -> null;
        };
    }
}
