package nats.archtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.lang.ArchRule;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.AccessibleObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dependency rules of DESIGN.md section 1, as ArchUnit rules over one {@link Layout}.
 *
 * <p>The static fields are the rules for the real packages (reuse them from any test); {@link #forLayout}
 * builds the same rules over other packages, which is how the fixtures prove that each rule can fail.
 */
public final class ModuleRules {

    /** {@code nats.api} is the stable SPI: nothing but java.base, so any JDK-only plugin can load it. */
    public static final ArchRule API_DEPENDS_ONLY_ON_JAVA_BASE;
    /** Plugins meet the kernel only through the SPI, discovered with ServiceLoader. */
    public static final ArchRule PLUGINS_DO_NOT_DEPEND_ON_KERNEL_OR_CLI;
    /** The kernel never imports a plugin, the launcher or the bench tool: they sit above it. */
    public static final ArchRule KERNEL_AND_TRANSPORT_DO_NOT_DEPEND_ON_PLUGINS_OR_TOOLS;
    /** Transport sits below the kernel. */
    public static final ArchRule TRANSPORT_DOES_NOT_DEPEND_ON_KERNEL;
    /** The storage SPI and its backends read java.base, each other and snappy-java: never the server. */
    public static final ArchRule STORE_DEPENDS_ONLY_ON_ITS_SPI;
    /** The RAFT library is tested without a server: java.base only (DESIGN.md 1, issue 17). */
    public static final ArchRule RAFT_DEPENDS_ONLY_ON_JAVA_BASE;
    public static final ArchRule MODULES_ARE_FREE_OF_CYCLES;
    public static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES;
    public static final ArchRule INTERNALS_ARE_USED_ONLY_BY_THEIR_MODULE;
    public static final ArchRule NO_UNSAFE;
    public static final ArchRule NO_SET_ACCESSIBLE;

    static {
        ModuleRules production = forLayout(Layout.PRODUCTION);
        API_DEPENDS_ONLY_ON_JAVA_BASE = production.apiDependsOnlyOnJavaBase;
        PLUGINS_DO_NOT_DEPEND_ON_KERNEL_OR_CLI = production.pluginsDoNotDependOnKernelOrCli;
        KERNEL_AND_TRANSPORT_DO_NOT_DEPEND_ON_PLUGINS_OR_TOOLS = production.kernelAndTransportDoNotDependOnPluginsOrTools;
        TRANSPORT_DOES_NOT_DEPEND_ON_KERNEL = production.transportDoesNotDependOnKernel;
        STORE_DEPENDS_ONLY_ON_ITS_SPI = production.storeDependsOnlyOnItsSpi;
        RAFT_DEPENDS_ONLY_ON_JAVA_BASE = production.raftDependsOnlyOnJavaBase;
        MODULES_ARE_FREE_OF_CYCLES = production.modulesAreFreeOfCycles;
        PACKAGES_ARE_FREE_OF_CYCLES = production.packagesAreFreeOfCycles;
        INTERNALS_ARE_USED_ONLY_BY_THEIR_MODULE = production.internalsAreUsedOnlyByTheirModule;
        NO_UNSAFE = production.noUnsafe;
        NO_SET_ACCESSIBLE = production.noSetAccessible;
    }

    public final ArchRule apiDependsOnlyOnJavaBase;
    public final ArchRule pluginsDoNotDependOnKernelOrCli;
    public final ArchRule kernelAndTransportDoNotDependOnPluginsOrTools;
    public final ArchRule transportDoesNotDependOnKernel;
    public final ArchRule storeDependsOnlyOnItsSpi;
    public final ArchRule raftDependsOnlyOnJavaBase;
    public final ArchRule modulesAreFreeOfCycles;
    public final ArchRule packagesAreFreeOfCycles;
    public final ArchRule internalsAreUsedOnlyByTheirModule;
    public final ArchRule noUnsafe;
    public final ArchRule noSetAccessible;

    private ModuleRules(Layout layout) {
        apiDependsOnlyOnJavaBase = classes().that().resideInAPackage(layout.api())
                .should().onlyDependOnClassesThat(areInJavaBaseOr(layout.api()))
                .because("nats.api may depend on java.base only (DESIGN.md 1)");

        pluginsDoNotDependOnKernelOrCli = noClasses().that().resideInAnyPackage(layout.plugins())
                .should().dependOnClassesThat().resideInAnyPackage(layout.kernel(), layout.cli())
                .because("plugins meet the kernel only through nats.api interfaces found by ServiceLoader");

        String[] aboveKernel = Stream.concat(Stream.of(layout.plugins()), Stream.of(layout.cli(), layout.bench()))
                .toArray(String[]::new);
        kernelAndTransportDoNotDependOnPluginsOrTools = noClasses()
                .that().resideInAnyPackage(layout.kernel(), layout.transport())
                .should().dependOnClassesThat().resideInAnyPackage(aboveKernel)
                .because("the kernel never imports a plugin, and the launcher and bench tool sit above it");

        transportDoesNotDependOnKernel = noClasses().that().resideInAPackage(layout.transport())
                .should().dependOnClassesThat().resideInAPackage(layout.kernel())
                .because("nats.transport sits below the kernel and is shared with protocol plugins");

        storeDependsOnlyOnItsSpi = classes().that().resideInAPackage(layout.store())
                .should().onlyDependOnClassesThat(areInJavaBaseOr(layout.store(), "org.xerial.snappy.."))
                .because("storage backends are plugins of JetStream: they read java.base, the storage SPI and"
                        + " snappy-java, never the server (DESIGN.md 1, issue 11)");

        raftDependsOnlyOnJavaBase = classes().that().resideInAPackage(layout.raft())
                .should().onlyDependOnClassesThat(areInJavaBaseOr(layout.raft()))
                .because("nats.raft is a library behind a state machine and a transport interface: it reads java.base"
                        + " only, so it is tested without a server and any replicating plugin can use it (issue 17)");

        modulesAreFreeOfCycles = slices().assignedFrom(ModuleSlices.byModule(layout))
                .should().beFreeOfCycles()
                .because("module dependencies form a layered graph");

        packagesAreFreeOfCycles = slices().assignedFrom(ModuleSlices.byPackage(layout))
                .should().beFreeOfCycles()
                .because("no package cycles (DESIGN.md 1), within a module as well as across modules");

        internalsAreUsedOnlyByTheirModule = classes().that().resideInAPackage(layout.internals())
                .should(new InternalAccessCondition(layout))
                .because("...internal packages are implementation details of their own module");

        noUnsafe = noClasses().that().resideInAPackage(layout.all())
                .should().dependOnClassesThat(areUnsafe())
                .because("Unsafe memory access is being removed from the JDK (JEP 471); use VarHandle or FFM");

        noSetAccessible = noClasses().that().resideInAPackage(layout.all())
                .should().accessTargetWhere(overridesAccessChecks())
                .because("no reflection across module boundaries (STYLE.md)");
    }

    /** The rules over {@code layout}'s packages. */
    public static ModuleRules forLayout(Layout layout) {
        return new ModuleRules(layout);
    }

    /** Every rule, for running them all at once. */
    public List<ArchRule> all() {
        return List.of(apiDependsOnlyOnJavaBase, pluginsDoNotDependOnKernelOrCli,
                kernelAndTransportDoNotDependOnPluginsOrTools, transportDoesNotDependOnKernel, storeDependsOnlyOnItsSpi,
                raftDependsOnlyOnJavaBase, modulesAreFreeOfCycles, packagesAreFreeOfCycles, internalsAreUsedOnlyByTheirModule,
                noUnsafe, noSetAccessible);
    }

    /**
     * Packages that java.base exports to everyone, read from the running JDK rather than listed by hand, so
     * that {@code java.sql} or {@code java.util.logging} (other modules) are refused while
     * {@code javax.net.ssl} (java.base) is allowed.
     */
    static Set<String> javaBasePackages() {
        ModuleDescriptor javaBase = ModuleLayer.boot().findModule("java.base").orElseThrow().getDescriptor();
        return javaBase.exports().stream()
                .filter(exports -> !exports.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static DescribedPredicate<JavaClass> areInJavaBaseOr(String... ownPackages) {
        Set<String> javaBase = javaBasePackages();
        List<PackageMatcher> own = Stream.of(ownPackages).map(PackageMatcher::of).toList();
        return DescribedPredicate.describe("are in packages exported by java.base or in " + String.join(", ", ownPackages),
                type -> {
                    // Arrays count as their element type; int[] and friends are always fine.
                    JavaClass element = type.getBaseComponentType();
                    return element.isPrimitive()
                            || javaBase.contains(element.getPackageName())
                            || own.stream().anyMatch(matcher -> matcher.matches(element.getPackageName()));
                });
    }

    private static DescribedPredicate<JavaClass> areUnsafe() {
        Set<String> unsafe = Set.of("sun.misc.Unsafe", "jdk.internal.misc.Unsafe");
        return DescribedPredicate.describe("are sun.misc.Unsafe or jdk.internal.misc.Unsafe",
                type -> unsafe.contains(type.getBaseComponentType().getName()));
    }

    private static DescribedPredicate<JavaAccess<?>> overridesAccessChecks() {
        // Field, Method and Constructor inherit setAccessible, so match on the owner's type, not its name.
        return DescribedPredicate.describe("target AccessibleObject.setAccessible or trySetAccessible",
                access -> (access.getName().equals("setAccessible") || access.getName().equals("trySetAccessible"))
                        && access.getTargetOwner().isAssignableTo(AccessibleObject.class));
    }
}
