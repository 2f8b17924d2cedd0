package nats.mqtt.internal.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Finding literal subjects by a wildcard filter (Go's sublist ReverseMatch). */
class SubjectTrieTest {

    private static Set<String> match(SubjectTrie t, String filter) {
        return new TreeSet<>(t.match(filter));
    }

    @Test
    void wildcardsFindTheSubjectsTheyMatch() {
        SubjectTrie t = new SubjectTrie();
        for (String s : List.of("a", "a.b", "a.b.c", "a.x.c", "b.b", "/.a", "a./")) {
            t.add(s);
        }
        assertEquals(Set.of("a.b", "a.b.c", "a.x.c", "a./"), match(t, "a.>"), "> takes one or more levels");
        assertEquals(Set.of("a.b", "a./", "b.b", "/.a"), match(t, "*.*"), "* takes exactly one (\"/\" is a level)");
        assertEquals(Set.of("a.b.c", "a.x.c"), match(t, "a.*.c"), "inner *");
        assertEquals(Set.of("a"), match(t, "a"), "a literal");
        assertEquals(Set.of("/.a"), match(t, "/.a"), "an empty first level");
        t.remove("a.b");
        assertEquals(Set.of("a.b.c", "a.x.c", "a./"), match(t, "a.>"), "removed subjects are not found");
        assertEquals(6, t.size(), "size follows");
        t.remove("a.b");
        assertEquals(6, t.size(), "removing twice changes nothing");
    }
}
