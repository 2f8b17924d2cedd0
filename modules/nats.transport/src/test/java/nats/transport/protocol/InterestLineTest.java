package nats.transport.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class InterestLineTest {

    private static String line(String kind, String account, String subject, String queue, int weight) {
        return new String(InterestLine.encode(kind, account, subject, queue, weight), StandardCharsets.UTF_8);
    }

    @Test
    void routeLinesNameTheAccount() {
        assertEquals("RS+ A foo.bar\r\n", line("RS", "A", "foo.bar", null, 1), "plain interest added");
        assertEquals("RS- A foo.bar\r\n", line("RS", "A", "foo.bar", null, 0), "plain interest removed");
        assertEquals("RS+ A foo q 3\r\n", line("RS", "A", "foo", "q", 3), "queue interest carries its weight");
        assertEquals("RS- A foo q\r\n", line("RS", "A", "foo", "q", 0), "queue removal has no weight");
    }

    @Test
    void leafLinesLeaveTheAccountOut() {
        assertEquals("LS+ foo.>\r\n", line("LS", null, "foo.>", null, 1), "plain interest added");
        assertEquals("LS+ foo q 2\r\n", line("LS", null, "foo", "q", 2), "queue interest carries its weight");
        assertEquals("LS- foo q\r\n", line("LS", null, "foo", "q", 0), "queue removal has no weight");
    }
}
