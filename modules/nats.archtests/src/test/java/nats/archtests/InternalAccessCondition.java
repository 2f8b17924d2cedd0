package nats.archtests;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * Holds for a class when every class that depends on it belongs to the same module. Applied to
 * {@code ..internal..} classes: the module descriptor already hides them from other modules at run time,
 * but tests and the class path do not, so this catches a reach-in before it ships.
 */
final class InternalAccessCondition extends ArchCondition<JavaClass> {

    private final Layout layout;

    InternalAccessCondition(Layout layout) {
        super("be used only from their own module");
        this.layout = layout;
    }

    @Override
    public void check(JavaClass internal, ConditionEvents events) {
        String owner = layout.moduleOf(internal.getPackageName());
        for (Dependency dependency : internal.getDirectDependenciesToSelf()) {
            String user = layout.moduleOf(dependency.getOriginClass().getPackageName());
            if (!user.equals(owner)) {
                events.add(SimpleConditionEvent.violated(dependency,
                        dependency.getDescription() + " (module " + describe(user) + " uses internals of " + owner + ")"));
            }
        }
    }

    private static String describe(String module) {
        return module.isEmpty() ? "<outside the layout>" : module;
    }
}
