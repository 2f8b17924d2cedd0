package nats.server.options;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Decentralized (JWT) authentication: the trusted operators and where account JWTs come from.
 *
 * @param operatorJwts    the operator JWTs trusted as roots (each self-signed)
 * @param trustedKeys     further operator public keys trusted directly ({@code trusted_keys})
 * @param resolver        where account JWTs are found
 * @param resolverPreload account JWTs by account public key, loaded at start ({@code resolver_preload})
 */
public record OperatorOptions(List<String> operatorJwts, List<String> trustedKeys, Resolver resolver,
                              Map<String, String> resolverPreload) {

    public static final OperatorOptions NONE = new OperatorOptions(List.of(), List.of(), Resolver.NONE, Map.of());

    public OperatorOptions {
        operatorJwts = List.copyOf(operatorJwts);
        trustedKeys = List.copyOf(trustedKeys);
        resolverPreload = Map.copyOf(resolverPreload);
    }

    public boolean enabled() {
        return !operatorJwts.isEmpty() || !trustedKeys.isEmpty();
    }

    public OperatorOptions withOperators(List<String> jwts) {
        return new OperatorOptions(jwts, trustedKeys, resolver, resolverPreload);
    }

    public OperatorOptions withTrustedKeys(List<String> keys) {
        return new OperatorOptions(operatorJwts, keys, resolver, resolverPreload);
    }

    public OperatorOptions withResolver(Resolver r) {
        return new OperatorOptions(operatorJwts, trustedKeys, r, resolverPreload);
    }

    public OperatorOptions withPreload(Map<String, String> preload) {
        return new OperatorOptions(operatorJwts, trustedKeys, resolver, preload);
    }

    /**
     * @param kind        MEMORY keeps JWTs in memory (preloaded or pushed); FULL and CACHE keep them as
     *                    {@code <account>.jwt} files in {@code dir}
     * @param allowDelete whether pushed deletions remove account files (FULL only)
     * @param url         URL fetches each account's JWT with an HTTP GET of this prefix and the account key
     */
    public record Resolver(Kind kind, Path dir, boolean allowDelete, String url) {

        public static final Resolver NONE = new Resolver(Kind.NONE, null, false, "");
        public static final Resolver MEMORY = new Resolver(Kind.MEMORY, null, false, "");

        public enum Kind { NONE, MEMORY, FULL, CACHE, URL }

        public Resolver(Kind kind, Path dir, boolean allowDelete) {
            this(kind, dir, allowDelete, "");
        }

        /** Go's URL resolver: JWTs from {@code url} + account key; the URL gets a trailing slash, as in Go. */
        public static Resolver url(String url) {
            return new Resolver(Kind.URL, null, false, url.endsWith("/") ? url : url + "/");
        }
    }
}
