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
            case URL -> new Url(options.resolver().url(), options.resolverPreload());
        };
    }

    /**
     * Go's URL resolver (for an account server): each account's JWT is an HTTP GET of the URL and the account
     * key, with Go's 1.9 s timeout; answers other than 200 mean no such account. Preloaded and pushed JWTs
     * are kept in memory and win, as for the memory resolver.
     */
    final class Url implements AccountResolver {
        private static final java.time.Duration TIMEOUT = java.time.Duration.ofMillis(1900);
        private final String url;
        private final Memory pushed;
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(TIMEOUT).build();

        Url(String url, Map<String, String> preload) {
            this.url = url;
            this.pushed = new Memory(preload);
            // As Go at start-up: "see if anyone is home" with a GET of the URL itself, and refuse to start if not.
            try {
                int status = get(url).statusCode();
                if (status != 200) {
                    throw new IllegalStateException(couldNotFetch(url, status + statusText(status)));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException(couldNotFetch(url, String.valueOf(e.getMessage())), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(couldNotFetch(url, "interrupted"), e);
            }
        }

        private java.net.http.HttpResponse<String> get(String target) throws IOException, InterruptedException {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(target)).timeout(TIMEOUT)
                    .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }

        /** Go's error text. */
        private static String couldNotFetch(String target, String why) {
            return "could not fetch <\"" + target + "\">: " + why;
        }

        /** The reason phrase Go's {@code resp.Status} carries after the code, for the codes an account server gives. */
        private static String statusText(int status) {
            return switch (status) {
                case 400 -> " Bad Request";
                case 401 -> " Unauthorized";
                case 403 -> " Forbidden";
                case 404 -> " Not Found";
                case 500 -> " Internal Server Error";
                case 502 -> " Bad Gateway";
                case 503 -> " Service Unavailable";
                default -> "";
            };
        }

        @Override
        public Optional<String> fetch(String accountKey) {
            Optional<String> known = pushed.fetch(accountKey);
            if (known.isPresent() || !NKey.isValidPublicKey(accountKey, NKey.Type.ACCOUNT)) {
                return known;
            }
            try {
                java.net.http.HttpResponse<String> response = get(url + accountKey);
                if (response.statusCode() != 200) {
                    System.getLogger(AccountResolver.class.getName()).log(System.Logger.Level.DEBUG,
                            "could not fetch <" + url + accountKey + ">: " + response.statusCode());
                    return Optional.empty();
                }
                return Optional.of(response.body().strip());
            } catch (IOException | IllegalArgumentException e) {
                System.getLogger(AccountResolver.class.getName()).log(System.Logger.Level.WARNING,
                        "could not fetch <" + url + accountKey + ">: " + e.getMessage());
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public void store(String accountKey, String jwt) {
            pushed.store(accountKey, jwt);
        }

        @Override
        public boolean keepsUnloaded() {
            return false;
        }
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
