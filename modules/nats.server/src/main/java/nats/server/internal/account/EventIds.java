package nats.server.internal.account;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique ids for server events, shaped like Go's nuid values (22 base-62 characters). */
public final class EventIds {

    private static final String PREFIX = Base62.random(new SecureRandom(), 12);
    private static final AtomicLong SEQUENCE = new AtomicLong(new SecureRandom().nextLong() >>> 8);

    private EventIds() {
    }

    public static String next() {
        return PREFIX + Base62.digits(SEQUENCE.incrementAndGet(), 10);
    }
}
