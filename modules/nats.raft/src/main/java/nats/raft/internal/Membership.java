package nats.raft.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nats.raft.Member;

/**
 * A group's member list, with the quorum arithmetic, and its encoding in CONFIG entries and snapshots. Immutable;
 * the voters and the quorum are worked out once, as the leader consults them in every flush round.
 */
final class Membership {

    private final List<Member> members;
    private final List<String> voters;
    private final int quorum;

    Membership(List<Member> members) {
        this.members = List.copyOf(members);
        this.voters = this.members.stream().filter(Member::voter).map(Member::id).toList();
        this.quorum = voters.size() / 2 + 1;
    }

    List<Member> members() {
        return members;
    }

    Optional<Member> find(String id) {
        for (Member m : members) {
            if (m.id().equals(id)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    boolean isVoter(String id) {
        for (Member m : members) {
            if (m.id().equals(id)) {
                return m.voter();
            }
        }
        return false;
    }

    List<String> voters() {
        return voters;
    }

    int quorum() {
        return quorum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Membership other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return "Membership" + members;
    }

    Membership with(Member member) {
        List<Member> next = new ArrayList<>(members.stream().filter(m -> !m.id().equals(member.id())).toList());
        next.add(member);
        return new Membership(next);
    }

    Membership without(String id) {
        return new Membership(members.stream().filter(m -> !m.id().equals(id)).toList());
    }

    /** u16 count, then per member: u8 voter, u8 id length, id (UTF-8). */
    byte[] encode() {
        int size = 2;
        for (Member m : members) {
            size += 2 + m.id().getBytes(StandardCharsets.UTF_8).length;
        }
        byte[] b = new byte[size];
        Bytes.putShort(b, 0, members.size());
        int at = 2;
        for (Member m : members) {
            byte[] id = m.id().getBytes(StandardCharsets.UTF_8);
            b[at] = (byte) (m.voter() ? 1 : 0);
            b[at + 1] = (byte) id.length;
            System.arraycopy(id, 0, b, at + 2, id.length);
            at += 2 + id.length;
        }
        return b;
    }

    static Membership decode(byte[] b) {
        int count = Bytes.getUnsignedShort(b, 0);
        List<Member> members = new ArrayList<>(count);
        int at = 2;
        for (int i = 0; i < count; i++) {
            int len = Byte.toUnsignedInt(b[at + 1]);
            members.add(new Member(new String(b, at + 2, len, StandardCharsets.UTF_8), b[at] == 1));
            at += 2 + len;
        }
        return new Membership(members);
    }
}
