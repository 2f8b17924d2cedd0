package nats.raft;

import java.util.Objects;

/**
 * One member of a RAFT group: a voter counts in elections and in the commit quorum, an observer (non-voter)
 * only receives the replicated log.
 *
 * @param id    the member's id, unique in its group (at most 255 bytes of UTF-8)
 * @param voter whether it votes and counts toward the quorum
 */
public record Member(String id, boolean voter) {

    public Member {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("member id must be 1..255 bytes of UTF-8, was '" + id + "'");
        }
    }

    /** A voting member. */
    public static Member voter(String id) {
        return new Member(id, true);
    }

    /** A non-voting member that only follows the log. */
    public static Member observer(String id) {
        return new Member(id, false);
    }
}
