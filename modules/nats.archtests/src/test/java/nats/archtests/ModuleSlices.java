package nats.archtests;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/** Ways to cut a layout's classes into slices for cycle checks. */
final class ModuleSlices {

    private ModuleSlices() {
    }

    /**
     * One slice per module. Uses {@link Layout#moduleOf(String)} rather than {@code nats.(*)..}, so that
     * {@code nats.jetstream.store.memory} and {@code nats.jetstream.store.file} are told apart.
     */
    static SliceAssignment byModule(Layout layout) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String module = layout.moduleOf(javaClass.getPackageName());
                return module.isEmpty() ? SliceIdentifier.ignore() : SliceIdentifier.of("module " + module);
            }

            @Override
            public String getDescription() {
                return "modules of " + layout.all();
            }
        };
    }

    /**
     * One slice per package. A cycle between packages of two modules is always a module cycle too, so this
     * adds exactly the cycles among the sub-packages of one module.
     */
    static SliceAssignment byPackage(Layout layout) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String pkg = javaClass.getPackageName();
                return layout.moduleOf(pkg).isEmpty() ? SliceIdentifier.ignore() : SliceIdentifier.of("package " + pkg);
            }

            @Override
            public String getDescription() {
                return "packages of each module of " + layout.all();
            }
        };
    }
}
