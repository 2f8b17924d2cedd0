package nats.jetstream.store.support;

/** Looks for a header in a NATS header block without parsing it into objects. */
final class Headers {

    private Headers() {
    }

    /** Whether {@code block} has a header line named {@code name} (case-insensitive) with a value. */
    static boolean contains(byte[] block, String name) {
        int length = name.length();
        for (int line = indexAfterNewline(block, 0); line >= 0 && line < block.length;
                line = indexAfterNewline(block, line)) {
            if (line + length < block.length && block[line + length] == ':' && regionMatches(block, line, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionMatches(byte[] block, int offset, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) block[offset + i]) != Character.toLowerCase(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int indexAfterNewline(byte[] block, int from) {
        for (int i = from; i < block.length; i++) {
            if (block[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
