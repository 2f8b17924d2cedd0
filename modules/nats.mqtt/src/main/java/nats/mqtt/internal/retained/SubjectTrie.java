package nats.mqtt.internal.retained;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Literal subjects (the keys of retained messages) in a token trie, found by a filter with NATS wildcards: the
 * reverse of a subscription match, as Go's sublist ReverseMatch serves it. A filter's {@code *} takes any one
 * token, {@code >} one or more. Not thread-safe.
 */
final class SubjectTrie {

    private static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        boolean terminal;
    }

    private final Node root = new Node();
    private int size;

    int size() {
        return size;
    }

    void add(String subject) {
        Node n = root;
        for (String token : subject.split("\\.", -1)) {
            n = n.children.computeIfAbsent(token, t -> new Node());
        }
        if (!n.terminal) {
            n.terminal = true;
            size++;
        }
    }

    void remove(String subject) {
        String[] tokens = subject.split("\\.", -1);
        List<Node> path = new ArrayList<>(tokens.length + 1);
        Node n = root;
        path.add(n);
        for (String token : tokens) {
            n = n.children.get(token);
            if (n == null) {
                return;
            }
            path.add(n);
        }
        if (!n.terminal) {
            return;
        }
        n.terminal = false;
        size--;
        // Prune nodes left without subjects below them.
        for (int i = tokens.length; i > 0; i--) {
            Node node = path.get(i);
            if (node.terminal || !node.children.isEmpty()) {
                break;
            }
            path.get(i - 1).children.remove(tokens[i - 1]);
        }
    }

    /** The subjects the filter matches. */
    List<String> match(String filter) {
        List<String> out = new ArrayList<>();
        match(root, filter.split("\\.", -1), 0, new StringBuilder(), out);
        return out;
    }

    private static void match(Node n, String[] tokens, int i, StringBuilder prefix, List<String> out) {
        if (i == tokens.length) {
            if (n.terminal) {
                out.add(subject(prefix));
            }
            return;
        }
        String token = tokens[i];
        int mark = prefix.length();
        if (token.equals(">") && i == tokens.length - 1) {
            for (Map.Entry<String, Node> e : n.children.entrySet()) {
                append(prefix, e.getKey());
                all(e.getValue(), prefix, out);
                prefix.setLength(mark);
            }
            return;
        }
        if (token.equals("*")) {
            for (Map.Entry<String, Node> e : n.children.entrySet()) {
                append(prefix, e.getKey());
                match(e.getValue(), tokens, i + 1, prefix, out);
                prefix.setLength(mark);
            }
            return;
        }
        Node child = n.children.get(token);
        if (child != null) {
            append(prefix, token);
            match(child, tokens, i + 1, prefix, out);
            prefix.setLength(mark);
        }
    }

    private static void all(Node n, StringBuilder prefix, List<String> out) {
        if (n.terminal) {
            out.add(subject(prefix));
        }
        int mark = prefix.length();
        for (Map.Entry<String, Node> e : n.children.entrySet()) {
            append(prefix, e.getKey());
            all(e.getValue(), prefix, out);
            prefix.setLength(mark);
        }
    }

    /** Every token is written with a leading dot, which {@link #subject} drops. */
    private static void append(StringBuilder prefix, String token) {
        prefix.append('.').append(token);
    }

    private static String subject(StringBuilder prefix) {
        return prefix.substring(1);
    }
}
