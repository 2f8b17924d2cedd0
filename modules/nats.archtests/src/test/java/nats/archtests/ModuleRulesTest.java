package nats.archtests;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Runs {@link ModuleRules} over the main classes of every project module on the test class path (jars from
 * the local repository, or {@code target/classes} in a reactor build).
 */
@AnalyzeClasses(packages = "nats",
        importOptions = {ImportOption.DoNotIncludeTests.class, ModuleRulesTest.NotArchTests.class})
class ModuleRulesTest {

    @ArchTest
    static final ArchRule apiDependsOnlyOnJavaBase = ModuleRules.API_DEPENDS_ONLY_ON_JAVA_BASE;

    @ArchTest
    static final ArchRule pluginsDoNotDependOnKernelOrCli = ModuleRules.PLUGINS_DO_NOT_DEPEND_ON_KERNEL_OR_CLI;

    @ArchTest
    static final ArchRule kernelAndTransportDoNotDependOnPluginsOrTools =
            ModuleRules.KERNEL_AND_TRANSPORT_DO_NOT_DEPEND_ON_PLUGINS_OR_TOOLS;

    @ArchTest
    static final ArchRule transportDoesNotDependOnKernel = ModuleRules.TRANSPORT_DOES_NOT_DEPEND_ON_KERNEL;

    @ArchTest
    static final ArchRule storeDependsOnlyOnItsSpi = ModuleRules.STORE_DEPENDS_ONLY_ON_ITS_SPI;

    @ArchTest
    static final ArchRule raftDependsOnlyOnJavaBase = ModuleRules.RAFT_DEPENDS_ONLY_ON_JAVA_BASE;

    @ArchTest
    static final ArchRule modulesAreFreeOfCycles = ModuleRules.MODULES_ARE_FREE_OF_CYCLES;

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = ModuleRules.PACKAGES_ARE_FREE_OF_CYCLES;

    @ArchTest
    static final ArchRule internalsAreUsedOnlyByTheirModule = ModuleRules.INTERNALS_ARE_USED_ONLY_BY_THEIR_MODULE;

    @ArchTest
    static final ArchRule noUnsafe = ModuleRules.NO_UNSAFE;

    @ArchTest
    static final ArchRule noSetAccessible = ModuleRules.NO_SET_ACCESSIBLE;

    /** This module's own classes (rules, fixtures) are never production code, wherever they are loaded from. */
    static final class NotArchTests implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/nats/archtests/");
        }
    }
}
