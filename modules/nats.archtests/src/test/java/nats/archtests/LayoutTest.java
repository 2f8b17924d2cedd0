package nats.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The package-to-module mapping that the cycle and internal-access rules rely on. */
class LayoutTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "nats.api, nats.api",
        "nats.server, nats.server",
        "nats.server.internal.routing, nats.server",
        "nats.example.echo, nats.example.echo",
        "nats.jetstream.store, nats.jetstream.store",
        "nats.jetstream.store.support, nats.jetstream.store",
        "nats.jetstream.store.file.internal, nats.jetstream.store.file",
        "nats.jetstream.store.memory, nats.jetstream.store.memory",
        "nats.jetstream.internal.api, nats.jetstream",
        "natsx.server, ''",
        "io.nats.client, ''",
    })
    void moduleOfPackage(String packageName, String module) {
        assertEquals(module, Layout.PRODUCTION.moduleOf(packageName),
                () -> "expected package " + packageName + " to belong to module '" + module + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "nats.archtests.fixtures.x.server.internal, nats.archtests.fixtures.x.server",
        "nats.archtests.fixtures.x.jetstream.store.file, nats.archtests.fixtures.x.jetstream.store.file",
    })
    void fixtureLayoutsMapTheSameWay(String packageName, String module) {
        assertEquals(module, Layout.rootedAt("nats.archtests.fixtures.x").moduleOf(packageName),
                () -> "expected fixture package " + packageName + " to belong to module " + module);
    }
}
