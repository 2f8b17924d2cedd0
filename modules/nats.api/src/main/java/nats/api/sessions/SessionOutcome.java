package nats.api.sessions;

/** The result of {@link ClientSessions#open}: a session, or why there is none. */
public sealed interface SessionOutcome {

    /** Authenticated and bound to an account. */
    record Opened(ClientSession session) implements SessionOutcome {
    }

    /**
     * Refused.
     *
     * @param reason what Go's client error would say, e.g. {@code Authorization Violation} or
     *               {@code maximum connections exceeded}
     * @param notAuthorized whether the credentials were wrong (MQTT answers "not authorized"), rather than a
     *                      limit or server state
     */
    record Refused(String reason, boolean notAuthorized) implements SessionOutcome {
    }
}
