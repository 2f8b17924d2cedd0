package nats.gateway.internal;

/** Go's GatewayInterestMode of one account on one gateway connection, named as /gatewayz shows it. */
enum InterestMode {
    /** Everything is sent unless the remote said it has no interest (plain subscriptions only). */
    OPTIMISTIC("Optimistic"),
    /** The remote is sending all its subscriptions of the account. */
    TRANSITIONING("Transitioning"),
    /** Only what the remote subscribed to is sent. */
    INTEREST_ONLY("Interest-Only");

    final String text;

    InterestMode(String text) {
        this.text = text;
    }
}
