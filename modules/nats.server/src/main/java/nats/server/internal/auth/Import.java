package nats.server.internal.auth;

/**
 * A stream or service this account takes from {@code account} (Go's {@code jwt.Import}); {@code token} is
 * the activation JWT when the export requires one, {@code to} the deprecated form of {@code localSubject}.
 */
public record Import(
        String name,
        String subject,
        String account,
        String token,
        String to,
        String localSubject,
        ExportType type,
        boolean share) {
}
