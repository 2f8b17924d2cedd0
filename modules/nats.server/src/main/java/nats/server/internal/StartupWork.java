package nats.server.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.TimeZone;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

import nats.server.internal.auth.NKey;
import nats.server.internal.auth.NKeyPair;

/**
 * The part of a server start that needs no configuration, begun on a background thread while the launcher
 * still reads flags and the config file: the server's identity (a fresh ed25519 server nkey, whose first
 * use initialises the curve's tables), the virtual-thread scheduler the first client's threads need, the
 * time-zone database the log's local time needs, and the JDK's security providers (SHA-256 of the server
 * name, nonces). Measured at about 25 ms of a start; on a machine
 * with a free core it no longer delays the client port.
 */
public final class StartupWork {

    private static final AtomicReference<FutureTask<String>> SERVER_ID = new AtomicReference<>();

    private StartupWork() {
    }

    /** Begins the work once per process; a second call does nothing. */
    public static void begin() {
        FutureTask<String> id = new FutureTask<>(StartupWork::newServerId);
        if (!SERVER_ID.compareAndSet(null, id)) {
            return;
        }
        Thread.ofPlatform().name("nats-startup").daemon(true).start(() -> {
            id.run();
            // The first virtual thread starts the scheduler's carrier pool; the first client's would wait for it.
            Thread.ofVirtual().name("nats-startup-warm").start(() -> { });
            // The log's local time (the launcher's log format reads the offset from TimeZone, not java.time).
            TimeZone.getDefault();
            try {
                MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                // Whoever needs SHA-256 reports it.
            }
        });
    }

    /** A fresh server id: the one begun by {@link #begin()} if not taken yet, else one made now. */
    static String serverId() {
        FutureTask<String> prepared = SERVER_ID.getAndSet(null);
        if (prepared != null) {
            if (!prepared.isDone()) {
                // The identity is still being made: read the time zone the first log line needs meanwhile, which
                // the background thread would only come to after the identity.
                TimeZone.getDefault();
            }
            try {
                return prepared.get();
            } catch (ExecutionException e) {
                // Made again below, where a failure surfaces as it would have without the head start.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return newServerId();
    }

    /**
     * The server id is a server public nkey ("N..."), as in Go. Its seed comes from {@code /dev/urandom}, as
     * Go's crypto/rand reads the kernel's source, so a start does not wait for SecureRandom's set-up of the
     * security providers (about 15 ms); SecureRandom where there is no such device.
     */
    private static String newServerId() {
        byte[] seed = new byte[32];
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(seed, 0, seed.length) == seed.length) {
                return NKeyPair.of(NKey.Type.SERVER, seed).publicKey();
            }
        } catch (IOException e) {
            // No /dev/urandom: SecureRandom below.
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        return NKeyPair.generate(NKey.Type.SERVER).publicKey();
    }
}
