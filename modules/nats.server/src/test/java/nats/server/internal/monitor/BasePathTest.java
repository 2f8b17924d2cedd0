package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code http_base_path} normalised and joined as Go's normalizeBasePath and path.Join do. */
class BasePathTest {

    @Test
    void normalisesAsGo() {
        assertEquals("/", BasePath.of("").path(), "empty is the root");
        assertEquals("/nats", BasePath.of("nats").path(), "a leading slash is added");
        assertEquals("/nats", BasePath.of("/nats/").path(), "path.Clean drops the trailing slash");
        assertEquals("/a/b", BasePath.of("//a/./c/../b").path(), "and resolves . and ..");
    }

    @Test
    void joinsEndpoints() {
        assertEquals("/varz", BasePath.ROOT.join("/varz"), "at the root");
        assertEquals("/nats/varz", BasePath.of("/nats").join("/varz"), "under a base");
        assertEquals("/nats", BasePath.of("/nats").join("/"), "the root page is the base itself");
    }

    @Test
    void findsTheEndpointOfARequest() {
        BasePath base = BasePath.of("/nats");
        assertEquals(Optional.of("/varz"), base.endpointOf("/nats/varz"), "under the base");
        assertEquals(Optional.of("/"), base.endpointOf("/nats"), "the base is the root page");
        assertEquals(Optional.empty(), base.endpointOf("/nats/"), "as Go's mux: /nats/ is not registered");
        assertEquals(Optional.empty(), base.endpointOf("/varz"), "outside the base");
        assertEquals(Optional.empty(), base.endpointOf("/natsvarz"), "a prefix is not a path element");
        assertEquals(Optional.of("/varz"), BasePath.ROOT.endpointOf("/varz"), "everything is under /");
    }
}
