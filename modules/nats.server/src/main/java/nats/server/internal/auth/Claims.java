package nats.server.internal.auth;

/** The decoded claims of a NATS JWT, one record per kind the Go jwt library v2 knows. */
public sealed interface Claims permits OperatorClaims, AccountClaims, UserClaims, ActivationClaims, GenericClaims {

    ClaimsData data();

    GenericFields fields();
}
