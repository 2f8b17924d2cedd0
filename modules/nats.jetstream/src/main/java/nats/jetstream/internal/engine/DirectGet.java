package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.Message;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsonIn;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.SubjectFilter;
import nats.transport.json.GoTime;

/**
 * {@code $JS.API.DIRECT.GET.<stream>} and its last-by-subject form {@code $JS.API.DIRECT.GET.<stream>.<subject>}:
 * answered on the requester's thread with the stored message itself plus {@code Nats-Stream},
 * {@code Nats-Subject}, {@code Nats-Sequence} and {@code Nats-Time-Stamp} headers, or a status message
 * ({@code 404 Message Not Found}, {@code 408 Bad Request}...), as Go's {@code getDirectRequest}.
 */
final class DirectGet implements DirectHandler {

    private static final int PREFIX_TOKENS = 5;

    private final Stream stream;

    DirectGet(Stream stream) {
        this.stream = stream;
    }

    @Override
    public boolean onMessage(InboundMessage m) {
        if (m.replyLength() == 0) {
            return true;
        }
        String subject = m.subject();
        String reply = m.reply();
        String key = lastBySubjectKey(subject);
        if (key != null) {
            if (m.payloadLength() != 0) {
                status(reply, "408 Bad Request");
            } else if (key.isEmpty()) {
                status(reply, "408 Bad Request");
            } else {
                answer(reply, stream.store().loadLast(key));
            }
            return true;
        }
        if (m.payloadLength() == 0) {
            status(reply, "408 Empty Request");
            return true;
        }
        Map<String, Object> body;
        JsonIn in;
        long seq;
        String lastFor;
        String nextFor;
        try {
            body = JsonIn.parse(m.copyPayload());
            in = new JsonIn(body, "JSApiMsgGetRequest");
            seq = in.uint64("seq");
            lastFor = in.string("last_by_subj");
            nextFor = in.string("next_by_subj");
        } catch (ApiException e) {
            status(reply, "408 Malformed Request");
            return true;
        }
        if (seq == 0 && lastFor.isEmpty() && nextFor.isEmpty()) {
            status(reply, "408 Empty Request");
        } else if ((seq > 0 && !lastFor.isEmpty()) || (!lastFor.isEmpty() && !nextFor.isEmpty())) {
            status(reply, "408 Bad Request");
        } else if (!nextFor.isEmpty()) {
            answer(reply, stream.store().loadNext(SubjectFilter.of(nextFor), seq));
        } else if (!lastFor.isEmpty()) {
            answer(reply, stream.store().loadLast(lastFor));
        } else {
            answer(reply, stream.store().load(seq));
        }
        return true;
    }

    /** The subject after {@code $JS.API.DIRECT.GET.<stream>.}, "" when the token is there but empty, null without it. */
    private static String lastBySubjectKey(String subject) {
        int dots = 0;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                dots++;
                if (dots == PREFIX_TOKENS) {
                    return subject.substring(i + 1);
                }
            }
        }
        return null;
    }

    private void answer(String reply, Optional<StoredMessage> found) {
        if (found.isEmpty()) {
            status(reply, "404 Message Not Found");
            return;
        }
        StoredMessage sm = found.get();
        String ts = GoTime.format(Instant.ofEpochSecond(0, sm.timestamp()));
        byte[] hdr;
        if (sm.headers().length == 0) {
            hdr = ("NATS/1.0\r\nNats-Stream: " + stream.name() + "\r\nNats-Subject: " + sm.subject()
                    + "\r\nNats-Sequence: " + sm.sequence() + "\r\nNats-Time-Stamp: " + ts + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            hdr = Headers.append(sm.headers(), Headers.STREAM, stream.name());
            hdr = Headers.append(hdr, Headers.SUBJECT, sm.subject());
            hdr = Headers.append(hdr, Headers.SEQUENCE, Long.toString(sm.sequence()));
            hdr = Headers.append(hdr, Headers.TIME_STAMP, ts);
        }
        stream.account().connection().publish(new Message(reply, "", hdr, sm.payload()));
    }

    private void status(String reply, String status) {
        byte[] hdr = ("NATS/1.0 " + status + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        stream.account().connection().publish(new Message(reply, "", hdr, new byte[0]));
    }
}
