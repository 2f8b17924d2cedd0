package nats.raft;

/**
 * What a leader knows of one other member (Go's Peer, as {@code /raftz} and stream info show it).
 *
 * @param id            the member's id
 * @param voter         whether it votes
 * @param matchIndex    the highest log index known to be on its disk
 * @param lag           entries it is behind the leader's last index
 * @param lastContactMs milliseconds since it last answered, or -1 if never
 * @param current       whether it answered recently and holds everything committed
 */
public record PeerInfo(String id, boolean voter, long matchIndex, long lag, long lastContactMs, boolean current) {
}
