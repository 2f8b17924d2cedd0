package nats.api.links;

/**
 * A registration made by {@link Links#watchAllInterest}.
 *
 * @since API 2.2
 */
public interface InterestFeed extends AutoCloseable {

    /** Stops the reports. */
    @Override
    void close();
}
