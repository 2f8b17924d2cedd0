package nats.api.links;

/**
 * Interest a link registered.
 *
 * @param account the account it is in
 * @param subject the subject, possibly with wildcards
 * @param queue   the queue group, or null for plain interest
 * @param weight  how many queue members the other side announced (1 for plain interest)
 */
public record RemoteInterest(String account, String subject, String queue, int weight) {
}
