package nats.jetstream.internal.model;

import java.util.Locale;

/** The enumerated values of stream and consumer configurations, with their JSON names. */
public final class Policies {

    private Policies() {
    }

    /** A value with a JSON name. */
    public interface Named {
        String json();
    }

    static <E extends Enum<E> & Named> E byName(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.json().equals(name.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        return null;
    }

    /** {@code retention}. */
    public enum Retention implements Named {
        LIMITS("limits"), INTEREST("interest"), WORK_QUEUE("workqueue");

        private final String json;

        Retention(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Retention parse(String s) {
            return byName(Retention.class, s);
        }
    }

    /** {@code discard}. */
    public enum Discard implements Named {
        OLD("old"), NEW("new");

        private final String json;

        Discard(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Discard parse(String s) {
            return byName(Discard.class, s);
        }
    }

    /** {@code storage}. */
    public enum Storage implements Named {
        FILE("file"), MEMORY("memory");

        private final String json;

        Storage(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Storage parse(String s) {
            return byName(Storage.class, s);
        }
    }

    /** {@code compression}. */
    public enum Compression implements Named {
        NONE("none"), S2("s2");

        private final String json;

        Compression(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Compression parse(String s) {
            return s.isEmpty() ? NONE : byName(Compression.class, s);
        }
    }

    /** {@code deliver_policy}. */
    public enum Deliver implements Named {
        ALL("all"), LAST("last"), NEW("new"), BY_START_SEQUENCE("by_start_sequence"),
        BY_START_TIME("by_start_time"), LAST_PER_SUBJECT("last_per_subject");

        private final String json;

        Deliver(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Deliver parse(String s) {
            return switch (s) {
                case "undefined" -> ALL;
                default -> byName(Deliver.class, s);
            };
        }
    }

    /** {@code ack_policy}. */
    public enum Ack implements Named {
        NONE("none"), ALL("all"), EXPLICIT("explicit");

        private final String json;

        Ack(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Ack parse(String s) {
            return byName(Ack.class, s);
        }
    }

    /** {@code replay_policy}. */
    public enum Replay implements Named {
        INSTANT("instant"), ORIGINAL("original");

        private final String json;

        Replay(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Replay parse(String s) {
            return byName(Replay.class, s);
        }
    }

    /** {@code priority_policy} (2.11). */
    public enum Priority implements Named {
        NONE("none"), OVERFLOW("overflow"), PINNED("pinned_client"), PRIORITIZED("prioritized");

        private final String json;

        Priority(String json) {
            this.json = json;
        }

        @Override
        public String json() {
            return json;
        }

        public static Priority parse(String s) {
            return s.isEmpty() ? NONE : byName(Priority.class, s);
        }
    }
}
