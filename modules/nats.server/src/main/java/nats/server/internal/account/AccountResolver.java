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

    /** The accounts whose JWTs are kept, for {@code $SYS.REQ.CLAIMS.LIST}; null when this resolver does not list. */
    default java.util.List<String> list() throws IOException {
        return null;
    }

    /** Whether {@link #delete} may remove JWTs ({@code allow_delete}). */
    default boolean deletes() {
        return false;
    }

    /** Removes an account's JWT, as Go's store does (renamed to {@code <key>.jwt.deleted}). */
    default void delete(String accountKey) throws IOException {
        throw new IOException("store is not set up to for delete");
    }

    static AccountResolver of(OperatorOptions options) {
        return switch (options.resolver().kind()) {
            case FULL, CACHE -> new Directory(options.resolver().dir(), options.resolverPreload(),
                    options.resolver().allowDelete());
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
        private final boolean allowDelete;

        Directory(Path dir, Map<String, String> preload, boolean allowDelete) {
            this.dir = dir;
            this.allowDelete = allowDelete;
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

        /** The kept JWTs' account keys, in file-name order (Go walks the directory). */
        @Override
        public java.util.List<String> list() throws IOException {
            try (var files = Files.list(dir)) {
                return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jwt"))
                        .map(n -> n.substring(0, n.length() - 4)).filter(k -> NKey.isValidPublicKey(k, NKey.Type.ACCOUNT))
                        .sorted().toList();
            }
        }

        @Override
        public boolean deletes() {
            return allowDelete;
        }

        @Override
        public void delete(String accountKey) throws IOException {
            if (!allowDelete) {
                throw new IOException("store is not set up to for delete");
            }
            if (!NKey.isValidPublicKey(accountKey, NKey.Type.ACCOUNT)) {
                throw new IOException("not an account public key: " + accountKey);
            }
            Path file = dir.resolve(accountKey + ".jwt");
            if (Files.exists(file)) {
                Files.move(file, dir.resolve(accountKey + ".jwt.deleted"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
