package nats.api.links;

/**
 * How a link's members of a queue group take part in choosing the one member that gets a message. Each member
 * of a group in the whole cluster should have the same chance, so a link announces its members' count as the
 * weight of its interest, and a {@link #MEMBER} link is chosen with that weight among the local members.
 */
public enum QueueRole {
    /** The link's members are candidates like local ones, weighted by the count the link announced. */
    MEMBER,
    /** The link is chosen only when no local member (and no {@link #MEMBER} link) took the message. */
    FALLBACK,
    /** The link never gets the message for this group. */
    NONE
}
