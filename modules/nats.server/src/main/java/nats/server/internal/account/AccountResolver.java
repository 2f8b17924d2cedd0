package nats.server.internal.account;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import nats.server.internal.auth.NKey;
import nats.server.options.OperatorOptions;

/** Where account JWTs come from in operator mode: memory (preloaded or pushed) or a directory of files. */
public interface AccountResolver {

    Optional<String> fetch(String accountKey);

    /** Keeps a pushed JWT; the caller has verified it. */
    void store(String accountKey, String jwt) throws IOException;

    /**
     * Whether pushed JWTs are kept for accounts not loaded yet (the full and cache resolvers); the memory
     * resolver only updates accounts in use, as Go's does.
     */
    boolean keepsUnloaded();

    static AccountResolver of(OperatorOptions options) {
        return switch (options.resolver().kind()) {
            case FULL, CACHE -> new Directory(options.resolver().dir(), options.resolverPreload());
            case MEMORY, NONE -> new Memory(options.resolverPreload());
        };
    }

    /** JWTs kept in memory. */
    final class Memory implements AccountResolver {
        private final Map<String, String> jwts = new ConcurrentHashMap<>();

        Memory(Map<String, String> preload) {
            jwts.putAll(preload);
        }

        @Override
        public Optional<String> fetch(String accountKey) {
            return Optional.ofNullable(jwts.get(accountKey));
        }

        @Override
        public void store(String accountKey, String jwt) {
            jwts.put(accountKey, jwt);
        }

        @Override
        public boolean keepsUnloaded() {
            return false;
        }
    }

    /** JWTs as {@code <account>.jwt} files, as Go's directory resolver stores them; written atomically. */
    final class Directory implements AccountResolver {
        private final Path dir;

        Directory(Path dir, Map<String, String> preload) {
            this.dir = dir;
            try {
                Files.createDirectories(dir);
                for (Map.Entry<String, String> e : preload.entrySet()) {
                    if (fetch(e.getKey()).isEmpty()) {
                        store(e.getKey(), e.getValue());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot use resolver directory " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<String> fetch(String accountKey) {
            if (!NKey.isValidPublicKey(accountKey, NKey.Type.ACCOUNT)) {
                return Optional.empty(); // never build a path from anything but an account key
            }
            try {
                Path file = dir.resolve(accountKey + ".jwt");
                return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public void store(String accountKey, String jwt) throws IOException {
            if (!NKey.isValidPublicKey(accountKey, NKey.Type.ACCOUNT)) {
                throw new IOException("not an account public key: " + accountKey);
            }
            Path target = dir.resolve(accountKey + ".jwt");
            Path tmp = Files.createTempFile(dir, accountKey, ".tmp");
            Files.writeString(tmp, jwt);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        public boolean keepsUnloaded() {
            return true;
        }
    }
}
