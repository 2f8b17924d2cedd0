package nats.server.internal.auth;

/** What an export or import carries; UNKNOWN when the JSON leaves it out. */
public enum ExportType {
    UNKNOWN,
    STREAM,
    SERVICE
}
