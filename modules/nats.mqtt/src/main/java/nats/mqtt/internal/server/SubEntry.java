package nats.mqtt.internal.server;

import java.util.ArrayList;
import java.util.List;

import nats.api.sessions.SessionSubscription;

/**
 * One NATS subscription of an MQTT client (Go keys them by sid): on a filter's subject (or its parent level for
 * a filter ending in {@code #}), on a consumer's delivery subject, or on the session's PUBREL delivery subject.
 * The QoS can change when the client subscribes again; retained messages found for a new subscription wait here
 * until the SUBACK is out, and go before any live message of the subscription.
 */
final class SubEntry {

    /** A retained message waiting to be sent. */
    record RetainedSend(int flags, int packetId, byte[] topic, byte[] payload) {
    }

    final String sid;
    final String subject;
    /** Whether the filter starts with a wildcard: such a subscription never gets {@code $} topics [MQTT-4.7.2-1]. */
    final boolean reserved;
    volatile int qos;
    /** The durable consumer delivering to this subscription, empty for a filter subscription. */
    volatile String durable = "";
    volatile SessionSubscription handle;
    /** Set once the subscription is gone, so late deliveries are refused. */
    volatile boolean removed;
    private List<RetainedSend> retained;
    private volatile boolean hasRetained;

    SubEntry(String sid, String subject, boolean reserved, int qos) {
        this.sid = sid;
        this.subject = subject;
        this.reserved = reserved;
        this.qos = qos;
    }

    synchronized void addRetained(RetainedSend send) {
        if (retained == null) {
            retained = new ArrayList<>();
        }
        retained.add(send);
        hasRetained = true;
    }

    /** Writes the retained messages still waiting, before anything else of this subscription. */
    void sendRetained(Outbound out) {
        if (!hasRetained) {
            return;
        }
        synchronized (this) {
            if (retained == null) {
                return;
            }
            for (RetainedSend r : retained) {
                out.publishTopic(r.flags(), r.packetId(), r.topic(), r.payload(), 0, r.payload().length);
            }
            retained = null;
            hasRetained = false;
        }
    }

    void unsubscribe() {
        removed = true;
        SessionSubscription h = handle;
        if (h != null) {
            h.unsubscribe();
        }
    }
}
