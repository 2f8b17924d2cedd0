package nats.archtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A project module as built: a jar from the local repository or a {@code target/classes} directory in a
 * reactor build, found on the test class path. Its descriptor is read from {@code module-info.class} itself,
 * because on the class path nothing else would see it.
 *
 * @param location the class path entry
 * @param descriptor the compiled module descriptor
 * @param serverPluginServices the entries of {@code META-INF/services/nats.api.ServerPlugin}, if the file exists
 */
record ModuleArtifact(Path location, ModuleDescriptor descriptor, Optional<List<String>> serverPluginServices) {

    static final String SERVER_PLUGIN = "nats.api.ServerPlugin";

    String name() {
        return descriptor.name();
    }

    /** Every class path entry whose {@code module-info.class} names a module in {@code nats.*}, in class path order. */
    static List<ModuleArtifact> onClassPath() {
        List<ModuleArtifact> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            read(Path.of(entry)).filter(artifact -> artifact.name().startsWith("nats."))
                    .ifPresent(found::add);
        }
        return found;
    }

    /** Reads one class path entry; empty if it is neither a directory nor a jar holding a module descriptor. */
    static Optional<ModuleArtifact> read(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                return read(entry, entry);
            }
            if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(entry)) {
                    return read(entry, jar.getPath("/"));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class path entry " + entry, e);
        }
    }

    private static Optional<ModuleArtifact> read(Path entry, Path root) throws IOException {
        Path moduleInfo = root.resolve("module-info.class");
        if (!Files.isRegularFile(moduleInfo)) {
            return Optional.empty();
        }
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(moduleInfo)) {
            descriptor = ModuleDescriptor.read(in);
        }
        Path services = root.resolve("META-INF/services/" + SERVER_PLUGIN);
        Optional<List<String>> providers = Files.isRegularFile(services)
                ? Optional.of(serviceEntries(Files.readAllLines(services)))
                : Optional.empty();
        return Optional.of(new ModuleArtifact(entry, descriptor, providers));
    }

    /** The provider class names of a service file: '#' starts a comment, blank lines are ignored. */
    static List<String> serviceEntries(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            int comment = line.indexOf('#');
            String name = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }
}
