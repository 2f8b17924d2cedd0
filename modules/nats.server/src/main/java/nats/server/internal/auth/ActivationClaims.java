package nats.server.internal.auth;

/** An activation token: an exporting account's grant to import one of its token-required exports. */
public record ActivationClaims(
        ClaimsData data,
        GenericFields fields,
        String importSubject,
        ExportType importType,
        String issuerAccount) implements Claims {
}
