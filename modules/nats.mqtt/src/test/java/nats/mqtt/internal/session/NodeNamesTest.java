package nats.mqtt.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Go's getHash, checked against the node name Go 2.9.10 logs for the server name S1 ("Node: sQnRv29R"). */
class NodeNamesTest {

    @Test
    void hashAsGo() {
        assertEquals("sQnRv29R", NodeNames.hash("S1"), "Go's node name of S1");
        assertEquals(8, NodeNames.hash("a client id").length(), "eight characters");
    }
}
