package nats.server.internal.routing;

/** Token-wise subject comparison without building a trie. */
public final class SubjectMatcher {

    private SubjectMatcher() {
    }

    /**
     * Whether the published subject {@code literal} is matched by {@code filter}, which may hold
     * {@code *} and {@code >} tokens. As in the trie, a {@code *} inside {@code literal} is just a token.
     */
    public static boolean matches(String literal, String filter) {
        String[] subject = literal.split("\\.", -1);
        String[] pattern = filter.split("\\.", -1);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(">")) {
                return subject.length > i;
            }
            if (i >= subject.length || (!pattern[i].equals("*") && !pattern[i].equals(subject[i]))) {
                return false;
            }
        }
        return subject.length == pattern.length;
    }
}
