package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.PublishOptions;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams and publish acks with jnats: create, publish, dedupe, expected headers, limits, info. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamPublishTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publishAcksCarryStreamAndSequence() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            StreamInfo created = jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.File).build());
            assertEquals("ORDERS", created.getConfiguration().getName(), "the stream is created as asked");
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 10; i++) {
                PublishAck ack = js.publish("orders.new", bytes("order " + i));
                assertEquals("ORDERS", ack.getStream(), "ack names the stream");
                assertEquals(i, ack.getSeqno(), "ack carries the next sequence");
                assertFalse(ack.isDuplicate(), "a fresh message is no duplicate");
            }
            StreamInfo info = jsm.getStreamInfo("ORDERS");
            assertEquals(10, info.getStreamState().getMsgCount(), "ten messages stored");
            assertEquals(1, info.getStreamState().getFirstSequence(), "first sequence");
            assertEquals(10, info.getStreamState().getLastSequence(), "last sequence");
            var msg = jsm.getMessage("ORDERS", 3);
            assertEquals("order 3", new String(msg.getData(), StandardCharsets.UTF_8), "message 3 reads back");
            assertEquals("orders.new", msg.getSubject(), "with its subject");
        }
    }

    @Test
    void duplicateMessageIdsAreAckedAsDuplicates() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("D").subjects("d").build());
            JetStream js = nc.jetStream();
            PublishAck first = js.publish("d", bytes("x"), PublishOptions.builder().messageId("id-1").build());
            PublishAck again = js.publish("d", bytes("x"), PublishOptions.builder().messageId("id-1").build());
            assertEquals(1, first.getSeqno(), "first one stored");
            assertEquals(1, again.getSeqno(), "the duplicate points at the stored one");
            assertTrue(again.isDuplicate(), "and is flagged as duplicate");
            assertEquals(1, nc.jetStreamManagement().getStreamInfo("D").getStreamState().getMsgCount(),
                    "only one message stored");
        }
    }

    @Test
    void expectedHeadersAreChecked() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("E").subjects("e.*").build());
            JetStream js = nc.jetStream();
            js.publish("e.a", bytes("1"));
            JetStreamApiException wrongLast = assertThrows(JetStreamApiException.class,
                    () -> js.publish("e.a", bytes("2"), PublishOptions.builder().expectedLastSequence(5).build()));
            assertEquals(10071, wrongLast.getApiErrorCode(), "Go's wrong last sequence error");
            assertEquals("wrong last sequence: 1", wrongLast.getErrorDescription(), "with the real last sequence");
            assertEquals(2, js.publish("e.a", bytes("2"), PublishOptions.builder().expectedLastSequence(1).build())
                    .getSeqno(), "the right last sequence is accepted");
            JetStreamApiException wrongStream = assertThrows(JetStreamApiException.class,
                    () -> js.publish("e.a", bytes("3"), PublishOptions.builder().expectedStream("OTHER").build()));
            assertEquals(10060, wrongStream.getApiErrorCode(), "expected stream mismatch");
            assertEquals(3, js.publish("e.b", bytes("x"),
                    PublishOptions.builder().expectedLastSubjectSequence(0).build()).getSeqno(),
                    "no message on e.b yet, so 0 is right");
            JetStreamApiException wrongSubject = assertThrows(JetStreamApiException.class,
                    () -> js.publish("e.a", bytes("x"), PublishOptions.builder().expectedLastSubjectSequence(1).build()));
            assertEquals("wrong last sequence: 2", wrongSubject.getErrorDescription(), "last on e.a is 2");
            js.publish("e.a", bytes("id"), PublishOptions.builder().messageId("m-9").build());
            JetStreamApiException wrongId = assertThrows(JetStreamApiException.class,
                    () -> js.publish("e.a", bytes("x"), PublishOptions.builder().expectedLastMsgId("m-1").build()));
            assertEquals("wrong last msg ID: m-9", wrongId.getErrorDescription(), "Go's text names the last id");
        }
    }

    @Test
    void limitsDiscardOldAndMaxMessagesPerSubject() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("L").subjects("l.*").maxMessages(5)
                    .maxMessagesPerSubject(2).storageType(StorageType.Memory).build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < 4; i++) {
                js.publish("l.a", bytes("a" + i));
            }
            for (int i = 0; i < 4; i++) {
                js.publish("l.b", bytes("b" + i));
            }
            var state = jsm.getStreamInfo("L").getStreamState();
            assertEquals(4, state.getMsgCount(), "two per subject kept");
            assertEquals(8, state.getLastSequence(), "sequences go on");
            for (int i = 0; i < 6; i++) {
                js.publish("l.c" .substring(0, 3).replace("c", "" + (char) ('c' + i)), bytes("x"));
            }
            assertEquals(5, jsm.getStreamInfo("L").getStreamState().getMsgCount(), "max_msgs 5 kept");
        }
    }

    @Test
    void discardNewRefusesOverTheLimit() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("N").subjects("n")
                    .maxMessages(2).discardPolicy(io.nats.client.api.DiscardPolicy.New).build());
            JetStream js = nc.jetStream();
            js.publish("n", bytes("1"));
            js.publish("n", bytes("2"));
            JetStreamApiException full = assertThrows(JetStreamApiException.class, () -> js.publish("n", bytes("3")));
            assertEquals(10077, full.getApiErrorCode(), "store failed error");
            assertEquals("maximum messages exceeded", full.getErrorDescription(), "Go's text");
        }
    }

    @Test
    void streamNamesListInfoAndDelete() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("B").subjects("b.>").build());
            jsm.addStream(StreamConfiguration.builder().name("A").subjects("a.>").build());
            assertEquals(List.of("A", "B"), jsm.getStreamNames(), "names sorted");
            assertEquals(2, jsm.getStreams().size(), "list has both");
            JetStreamApiException overlap = assertThrows(JetStreamApiException.class, () -> jsm.addStream(
                    StreamConfiguration.builder().name("C").subjects("a.x").build()));
            assertEquals(10065, overlap.getApiErrorCode(), "subjects overlap");
            assertTrue(jsm.deleteStream("A"), "delete succeeds");
            JetStreamApiException missing = assertThrows(JetStreamApiException.class, () -> jsm.getStreamInfo("A"));
            assertEquals(10059, missing.getApiErrorCode(), "stream not found");
            assertNotNull(jsm.getAccountStatistics(), "account info answers");
            assertEquals(1, jsm.getAccountStatistics().getStreams(), "one stream left");
        }
    }
}
