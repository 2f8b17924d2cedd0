package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Leaf permissions as Go checks them: messages by subject, interest as Go's canSubscribe for leaf nodes. */
class SubjectRulesTest {

    private final SubjectRules rules = new SubjectRules(Optional.of(List.of("up.>", "ok")), List.of("up.secret"));

    @Test
    void messages() {
        assertTrue(rules.allows("up.x"), "allowed by up.>");
        assertTrue(rules.allows("ok"), "allowed literally");
        assertFalse(rules.allows("up.secret"), "denied wins");
        assertFalse(rules.allows("other"), "not in the allow list");
    }

    @Test
    void interestWiderThanAnAllowedSubjectPasses() {
        assertTrue(rules.allowsInterest(">"), "> covers up.> (messages are pruned one by one)");
        assertTrue(rules.allowsInterest("up.*"), "up.* within up.>");
        assertFalse(rules.allowsInterest("other.*"), "covers nothing allowed");
        assertFalse(rules.allowsInterest("other"), "a literal outside the list");
        assertTrue(SubjectRules.ALL.denying(List.of("a.>")).allowsInterest("b"), "deny only");
        assertFalse(SubjectRules.ALL.denying(List.of("a.>")).allowsInterest("a.b"), "denied");
    }
}
