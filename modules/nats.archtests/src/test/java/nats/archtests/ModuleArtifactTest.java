package nats.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link ModuleArtifact} reads class path entries and service files. */
class ModuleArtifactTest {

    @Test
    void serviceFileCommentsAndBlankLinesAreIgnored() {
        List<String> lines = List.of("# providers", "", "  nats.example.echo.EchoPlugin  # the example", "   ");
        assertEquals(List.of("nats.example.echo.EchoPlugin"), ModuleArtifact.serviceEntries(lines),
                "expected only the provider class name, without comment or blanks");
    }

    @Test
    void directoryWithoutModuleInfoIsNotAModule(@TempDir Path classes) {
        assertTrue(ModuleArtifact.read(classes).isEmpty(), "expected no module for a directory without module-info.class");
    }

    @Test
    void missingEntryIsNotAModule(@TempDir Path dir) {
        assertTrue(ModuleArtifact.read(dir.resolve("absent.jar")).isEmpty(),
                "expected no module for a class path entry that does not exist");
    }
}
