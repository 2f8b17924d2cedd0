package nats.transport.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * TLS contexts begun while the config is read, taken by the start that follows. A {@code tls {}} block's files are
 * checked as the config is read (errors point at the block, as in Go), but the JDK's TLS context takes a few
 * hundred ms to build in a fresh JVM: it is built on a background thread meanwhile, so a server binds its ports
 * and starts its plugins without waiting for it. The start takes the prepared context if the block and its
 * files are unchanged, and builds its own otherwise (a file edited in between, say).
 */
final class PreparedTls {

    private static final Map<TlsOptions, PreparedTls> PREPARED = new ConcurrentHashMap<>();

    private final byte[] files;
    private final FutureTask<ServerTls> build;

    private PreparedTls(byte[] files, FutureTask<ServerTls> build) {
        this.files = files;
        this.build = build;
    }

    /** Begins building the context for {@code options} from checked {@code material} on a background thread. */
    static void begin(TlsOptions options, ServerTls.Material material) {
        byte[] files = contents(options);
        if (files == null) {
            return;
        }
        PreparedTls fresh = new PreparedTls(files, new FutureTask<>(() -> ServerTls.build(options, material)));
        // A block read twice (a plugin's section is read to validate it and again to start it) is built once.
        PreparedTls kept = PREPARED.merge(options, fresh,
                (existing, next) -> Arrays.equals(existing.files, next.files) ? existing : next);
        if (kept == fresh) {
            Thread.ofPlatform().name("nats-tls-setup").daemon(true).start(fresh.build);
        }
    }

    /**
     * The context prepared for {@code options} (removed, so each is used once), or null when none was begun or its
     * files changed since.
     */
    static ServerTls take(TlsOptions options) throws TlsSetupException {
        PreparedTls prepared = PREPARED.remove(options);
        if (prepared == null || !Arrays.equals(prepared.files, contents(options))) {
            return null;
        }
        try {
            return prepared.build.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TlsSetupException setup) {
                throw setup;
            }
            // Built again by the caller, where the failure surfaces as it would have without the head start.
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The bytes of the block's files, one after the other; null when one cannot be read. */
    private static byte[] contents(TlsOptions options) {
        List<Path> paths = new ArrayList<>(List.of(options.certFile(), options.keyFile()));
        options.caFile().ifPresent(paths::add);
        try {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Path path : paths) {
                byte[] content = Files.readAllBytes(path);
                // The length first, so two files' bytes cannot shift between them unnoticed.
                all.write(Integer.toString(content.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                all.write(':');
                all.write(content);
            }
            return all.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }
}
