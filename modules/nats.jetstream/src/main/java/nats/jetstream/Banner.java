package nats.jetstream;

import nats.jetstream.internal.engine.JetStream;

/** The start-up lines Go logs for JetStream: limits, store directory, and our durability setting. */
final class Banner {

    private Banner() {
    }

    static void log(System.Logger log, JetStream js) {
        var o = js.options();
        log.log(System.Logger.Level.INFO, "Starting JetStream");
        log.log(System.Logger.Level.INFO, "---------------- JETSTREAM ----------------");
        log.log(System.Logger.Level.INFO, "  Max Memory:      {0}", friendly(js.maxMemory()));
        log.log(System.Logger.Level.INFO, "  Max Storage:     {0}", friendly(js.maxStore()));
        log.log(System.Logger.Level.INFO, "  Store Directory: \"{0}\"", o.storeRoot());
        if (!o.domain().isEmpty()) {
            log.log(System.Logger.Level.INFO, "  Domain:          {0}", o.domain());
        }
        o.encryption().ifPresent(e -> log.log(System.Logger.Level.INFO, "  Encryption:      {0}",
                e.cipher().configName()));
        if (o.durability().isAlways()) {
            log.log(System.Logger.Level.INFO, "  Durability:      fsync before every publish ack");
        } else {
            log.log(System.Logger.Level.WARNING, "  Durability:      sync_interval {0}: acknowledged messages of the "
                    + "last interval can be lost if the machine fails", o.durability().syncInterval());
        }
    }

    /** Go's {@code friendlyBytes}: {@code 17.66 GB}. */
    static String friendly(long bytes) {
        double b = bytes;
        String[] units = {"K", "M", "G", "T", "P", "E"};
        if (b < 1024) {
            return bytes + " B";
        }
        int exp = (int) (Math.log(b) / Math.log(1024));
        exp = Math.min(exp, units.length);
        return String.format("%.2f %sB", b / Math.pow(1024, exp), units[exp - 1]);
    }
}
