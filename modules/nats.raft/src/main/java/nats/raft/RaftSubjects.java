package nats.raft;

import java.util.Objects;

/**
 * The NATS subjects that carry a group's RPC frames between servers, in the shape of Go's {@code $NRG.>} scheme
 * ({@code $NRG.V.<group>}, {@code $NRG.AE.<group>}, ...) with the addressed member appended, because this library
 * sends each frame to one member: {@code $NRG.<kind>.<group>.<member>}. A transport subscribes
 * {@link #inbox(String, String)} for each member it hosts and publishes each frame on {@link #subject}.
 */
public final class RaftSubjects {

    /** Every RAFT subject: what the system account reserves for RAFT traffic. */
    public static final String ALL = "$NRG.>";

    // Kind tokens by the frame's first byte (docs/raft.md, "RPC frames").
    private static final String[] KINDS = {null, "V", "VR", "AE", "AR", "IS", "SR", "TN"};

    private RaftSubjects() {
    }

    /** The subject {@code frame} (as given to {@link RaftTransport#send}) travels on to reach {@code member}. */
    public static String subject(String group, String member, byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        int kind = frame.length == 0 ? 0 : Byte.toUnsignedInt(frame[0]);
        if (kind < 1 || kind >= KINDS.length) {
            throw new IllegalArgumentException("not a RAFT frame (kind " + kind + ")");
        }
        return "$NRG." + KINDS[kind] + "." + token(group, "group") + "." + token(member, "member");
    }

    /** The wildcard subscription that receives every frame addressed to {@code member} of {@code group}. */
    public static String inbox(String group, String member) {
        return "$NRG.*." + token(group, "group") + "." + token(member, "member");
    }

    /** Whether {@code name} can be a group or member token: non-empty, no dots, wildcards or whitespace. */
    public static boolean isValidToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '*' || c == '>' || Character.isWhitespace(c) || c < 0x20) {
                return false;
            }
        }
        return true;
    }

    private static String token(String name, String what) {
        if (!isValidToken(name)) {
            throw new IllegalArgumentException("RAFT " + what + " name '" + name
                    + "' cannot be a subject token (no dots, wildcards or whitespace)");
        }
        return name;
    }
}
