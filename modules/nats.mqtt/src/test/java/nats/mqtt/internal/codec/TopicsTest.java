package nats.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Go's topic/subject translation (mqtt.go's mqttToNATSSubjectConversion and natsSubjectToMQTTTopic, 2.10). */
class TopicsTest {

    private static String subject(String topic) throws MqttException {
        byte[] b = topic.getBytes(StandardCharsets.UTF_8);
        return new String(Topics.toFilterSubject(b, 0, b.length), StandardCharsets.UTF_8);
    }

    private static String topic(String subject) {
        return new String(Topics.toTopic(subject.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // Go's own examples and its tests' table (TestMQTTTopicAndSubjectConversion).
        "foo|foo", "foo/bar|foo.bar", "/foo|/.foo", "foo/|foo./", "foo//bar|foo./.bar", "/|/./", "//|/././",
        "foo.bar|foo//bar", "foo/bar.baz|foo.bar//baz", "+|*", "#|>", "foo/+/bar|foo.*.bar", "foo/#|foo.>",
        "/foo/#|/.foo.>", "$SYS/foo|$SYS.foo", "a+b|a*b"})
    void topicToSubjectAndBack(String topic, String subject) throws MqttException {
        assertEquals(subject, subject(topic), "subject of " + topic);
        if (!topic.contains("+") && !topic.contains("#")) {
            assertEquals(topic, topic(subject), "topic of " + subject + " (the way back)");
            byte[] s = subject.getBytes(StandardCharsets.UTF_8);
            assertEquals(topic.length(), Topics.topicLength(s, 0, s.length), "computed topic length");
        }
    }

    @Test
    void publishTopicsRefuseWildcardsAndSpaces() {
        byte[] wc = "a/+".getBytes(StandardCharsets.UTF_8);
        MqttException e = assertThrows(MqttException.class, () -> Topics.toPublishSubject(wc, 0, wc.length));
        assertEquals("wildcards not allowed in publish's topic: \"a/+\"", e.getMessage(), "Go's text");
        byte[] sp = "a b".getBytes(StandardCharsets.UTF_8);
        e = assertThrows(MqttException.class, () -> Topics.toFilterSubject(sp, 0, sp.length));
        assertEquals("character ' ' not supported for MQTT topics", e.getMessage(), "Go's text");
    }

    @Test
    void filterShapes() {
        assertTrue(Topics.needsParentLevel("foo.>"), "foo/# also matches foo");
        assertFalse(Topics.needsParentLevel(">"), "# alone has no parent");
        assertTrue(Topics.isReservedFilter(">") && Topics.isReservedFilter("*") && Topics.isReservedFilter("*.a"),
                "filters starting with a wildcard skip $ topics");
        assertFalse(Topics.isReservedFilter("$a.>") || Topics.isReservedFilter("a.*"), "others do not");
    }
}
