package nats.archtests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import nats.archtests.fixtures.apideps.api.OnlyJavaBase;
import nats.archtests.fixtures.apideps.api.UsesJavaSql;
import nats.archtests.fixtures.internalaccess.mqtt.MqttPlugin;
import nats.archtests.fixtures.internalaccess.server.Kernel;
import nats.archtests.fixtures.kernelplugin.transport.Wire;
import nats.archtests.fixtures.modulecycle.cluster.Route;
import nats.archtests.fixtures.modulecycle.gateway.Gateway;
import nats.archtests.fixtures.packagecycle.server.config.Config;
import nats.archtests.fixtures.packagecycle.server.routing.Router;
import nats.archtests.fixtures.pluginkernel.example.echo.EchoPlugin;
import nats.archtests.fixtures.pluginkernel.jetstream.store.file.FileStore;
import nats.archtests.fixtures.setaccessible.server.Opener;
import nats.archtests.fixtures.transportkernel.transport.Parser;
import nats.archtests.fixtures.unsafe.UnsafeFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that every rule of {@link ModuleRules} can fail: each fixture case under
 * {@code nats.archtests.fixtures} breaks one rule, and the rule, built over that case's layout, must report
 * the offending class by name. A rule that cannot fail would pass the production check for nothing.
 */
class ModuleRulesCatchViolationsTest {

    private static final String FIXTURES = "nats.archtests.fixtures.";

    @Test
    void apiUsingAModuleOtherThanJavaBaseIsCaught() {
        String report = assertViolation("apideps", rules -> rules.apiDependsOnlyOnJavaBase, UsesJavaSql.class);
        assertTrue(report.contains("java.sql.Connection"), () -> "expected the report to name java.sql.Connection:\n" + report);
        assertNotNamed(report, OnlyJavaBase.class);
    }

    @Test
    void pluginUsingTheKernelOrTheLauncherIsCaught() {
        assertViolation("pluginkernel", rules -> rules.pluginsDoNotDependOnKernelOrCli,
                EchoPlugin.class, FileStore.class);
    }

    @Test
    void kernelOrTransportUsingAPluginOrAToolIsCaught() {
        assertViolation("kernelplugin", rules -> rules.kernelAndTransportDoNotDependOnPluginsOrTools,
                nats.archtests.fixtures.kernelplugin.server.Kernel.class, Wire.class);
    }

    @Test
    void transportUsingTheKernelIsCaught() {
        assertViolation("transportkernel", rules -> rules.transportDoesNotDependOnKernel, Parser.class);
    }

    @Test
    void storeUsingTheServerOrAnotherJdkModuleIsCaught() {
        String report = assertViolation("storedeps", rules -> rules.storeDependsOnlyOnItsSpi,
                nats.archtests.fixtures.storedeps.jetstream.store.file.FileBackend.class,
                nats.archtests.fixtures.storedeps.jetstream.store.memory.MemoryBackend.class);
        assertNotNamed(report, nats.archtests.fixtures.storedeps.jetstream.store.Spi.class);
    }

    @Test
    void raftUsingTheApiOrAnotherJdkModuleIsCaught() {
        String report = assertViolation("raftdeps", rules -> rules.raftDependsOnlyOnJavaBase,
                nats.archtests.fixtures.raftdeps.raft.internal.UsesApi.class,
                nats.archtests.fixtures.raftdeps.raft.internal.UsesJavaLogging.class);
        assertNotNamed(report, nats.archtests.fixtures.raftdeps.raft.StateMachine.class);
    }

    @Test
    void cycleBetweenModulesIsCaught() {
        assertViolation("modulecycle", rules -> rules.modulesAreFreeOfCycles, Route.class, Gateway.class);
    }

    @Test
    void cycleBetweenPackagesOfOneModuleIsCaught() {
        assertViolation("packagecycle", rules -> rules.packagesAreFreeOfCycles, Router.class, Config.class);
    }

    @Test
    void cycleInsideOneModuleIsNotAModuleCycle() {
        // Tells the two cycle rules apart: the module view sees one "server" slice here, so no cycle.
        EvaluationResult result = evaluate("packagecycle", rules -> rules.modulesAreFreeOfCycles);
        assertFalse(result.hasViolation(),
                () -> "expected no module cycle for two packages of one module:\n" + result.getFailureReport());
    }

    @Test
    void internalPackageUsedByAnotherModuleIsCaught() {
        String report = assertViolation("internalaccess", rules -> rules.internalsAreUsedOnlyByTheirModule,
                MqttPlugin.class);
        assertNotNamed(report, Kernel.class);
    }

    @Test
    void unsafeIsCaught(@TempDir Path classes) throws IOException {
        // This fixture is bytecode written at test time; see UnsafeFixture for why.
        UnsafeFixture.writeTo(classes);
        ArchRule rule = ModuleRules.forLayout(Layout.rootedAt(FIXTURES + "unsafe")).noUnsafe;
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importPath(classes));
        assertReportNames(result, "unsafe", UnsafeFixture.CLASS_NAME);
    }

    @Test
    void setAccessibleIsCaught() {
        assertViolation("setaccessible", rules -> rules.noSetAccessible, Opener.class);
    }

    private static EvaluationResult evaluate(String fixture, Function<ModuleRules, ArchRule> rule) {
        JavaClasses classes = new ClassFileImporter().importPackages(FIXTURES + fixture);
        assertFalse(classes.isEmpty(), () -> "expected fixture classes in " + FIXTURES + fixture);
        ModuleRules rules = ModuleRules.forLayout(Layout.rootedAt(FIXTURES + fixture));
        return rule.apply(rules).evaluate(classes);
    }

    /** Evaluates the rule on the fixture, expects a violation naming every offender, returns the report text. */
    private static String assertViolation(String fixture, Function<ModuleRules, ArchRule> rule, Class<?>... offenders) {
        EvaluationResult result = evaluate(fixture, rule);
        return assertReportNames(result, fixture, Stream.of(offenders).map(Class::getName).toArray(String[]::new));
    }

    private static String assertReportNames(EvaluationResult result, String fixture, String... offenders) {
        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation(), () -> "expected fixture '" + fixture + "' to violate the rule, report:\n" + report);
        for (String offender : offenders) {
            assertTrue(report.contains(offender),
                    () -> "expected the violation report to name " + offender + ":\n" + report);
        }
        return report;
    }

    private static void assertNotNamed(String report, Class<?> allowed) {
        assertFalse(report.contains(allowed.getName() + "."),
                () -> "expected " + allowed.getName() + " (allowed) not to be reported:\n" + report);
    }
}
