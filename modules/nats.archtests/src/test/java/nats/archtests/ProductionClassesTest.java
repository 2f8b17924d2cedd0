package nats.archtests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Guards {@link ModuleRulesTest} against passing vacuously: the import it analyses must hold every existing
 * module's classes and none of this module's test classes.
 */
class ProductionClassesTest {

    static final List<String> EXISTING_MODULES = List.of(
            "nats.api", "nats.transport", "nats.server", "nats.cli", "nats.bench", "nats.example.echo",
            "nats.jetstream.store", "nats.jetstream.store.memory", "nats.jetstream.store.file", "nats.jetstream",
            "nats.websocket", "nats.mqtt", "nats.cluster", "nats.leafnode", "nats.raft");

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .withImportOption(new ModuleRulesTest.NotArchTests())
                .importPackages("nats");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EXISTING_MODULES")
    void everyExistingModuleIsAnalysed(String module) {
        assertTrue(classes.stream().anyMatch(type -> Layout.PRODUCTION.moduleOf(type.getPackageName()).equals(module)),
                () -> "expected classes of module " + module + " on the test class path, so the rules check it");
    }

    @Test
    void testClassesOfThisModuleAreNotAnalysed() {
        assertFalse(classes.stream().anyMatch(type -> type.getPackageName().startsWith("nats.archtests")),
                "expected no nats.archtests class (rules, fixtures) among the analysed production classes");
    }
}
