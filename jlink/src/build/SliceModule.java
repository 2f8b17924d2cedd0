import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModuleExportInfo;
import java.lang.classfile.attribute.ModuleOpenInfo;
import java.lang.classfile.attribute.ModulePackagesAttribute;
import java.lang.classfile.attribute.ModuleProvideInfo;
import java.lang.classfile.constantpool.PackageEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build tool for the image: copies a modular jar keeping only the classes the other modules of the image can
 * reach. The server uses a small corner of BouncyCastle (bcrypt, the raw Ed25519 of nkeys, the ASN.1 of PEM keys
 * and of a self-signed certificate); its module is 5.5 MB of the image's lib/modules, mostly JCA providers and
 * post-quantum algorithms the server never loads.
 *
 * <p>Reachable means: named in a constant pool (a class entry, a descriptor or signature, or a string that spells
 * a class name with dots, as {@code Class.forName} arguments do) of a class of another module of the image, or of
 * a class already kept, transitively; the versioned copies of a multi-release jar count as the class. The module
 * descriptor keeps the exports, opens and packages that still have classes; a service it provides is dropped
 * when its implementation is not reachable (the image's BouncyCastle is then no JCA provider: the server never
 * registers one). A plugin dropped into the image that needs more of the library brings its own copy.
 *
 * <p>Usage: {@code java SliceModule.java IN.jar OUT.jar OTHER.jar...}; prints what it kept.
 */
public final class SliceModule {

    /** A class name inside a descriptor or signature ({@code Lorg/x/Y;}), or spelled with dots in a string. */
    private static final Pattern DESCRIPTOR_NAME = Pattern.compile("L([A-Za-z0-9_$/]+)[;<]");
    private static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(?:\\.[A-Za-z_][A-Za-z0-9_$]*)+");
    private static final String VERSIONS = "META-INF/versions/";

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, byte[]> entries = read(in);
        Map<String, List<byte[]>> classes = classes(entries);
        Set<String> kept = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (int i = 2; i < args.length; i++) {
            Path other = Path.of(args[i]);
            if (other.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize())) {
                continue;
            }
            for (List<byte[]> versions : classes(read(other)).values()) {
                for (byte[] bytes : versions) {
                    reach(bytes, classes, kept, todo);
                }
            }
        }
        while (!todo.isEmpty()) {
            for (byte[] bytes : classes.get(todo.pop())) {
                reach(bytes, classes, kept, todo);
            }
        }
        Set<String> packages = new HashSet<>();
        for (String name : kept) {
            packages.add(packageOf(name));
        }
        write(in, out, entries, kept, packages);
        long before = entries.values().stream().mapToLong(b -> b.length).sum();
        long after = Files.size(out);
        System.out.printf("%s: kept %d of %d classes in %d packages (%d KB of classes before; jar now %d KB)%n",
                in.getFileName(), kept.size(), classes.size(), packages.size(), before / 1024, after / 1024);
    }

    private static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : file.stream().toList()) {
                if (!entry.isDirectory()) {
                    try (var stream = file.getInputStream(entry)) {
                        entries.put(entry.getName(), stream.readAllBytes());
                    }
                }
            }
        }
        return entries;
    }

    /** Class internal name to its bytes, the base version and every versioned copy. */
    private static Map<String, List<byte[]>> classes(Map<String, byte[]> entries) {
        Map<String, List<byte[]>> classes = new LinkedHashMap<>();
        entries.forEach((path, bytes) -> {
            String name = className(path);
            if (name != null) {
                classes.computeIfAbsent(name, k -> new ArrayList<>()).add(bytes);
            }
        });
        return classes;
    }

    /** The class a jar entry holds, or null for a resource or a module descriptor. */
    private static String className(String path) {
        String base = path;
        if (base.startsWith(VERSIONS)) {
            int slash = base.indexOf('/', VERSIONS.length());
            if (slash < 0) {
                return null;
            }
            base = base.substring(slash + 1);
        }
        if (!base.endsWith(".class") || base.endsWith("module-info.class") || base.startsWith("META-INF/")) {
            return null;
        }
        return base.substring(0, base.length() - ".class".length());
    }

    private static void reach(byte[] bytes, Map<String, List<byte[]>> classes, Set<String> kept, Deque<String> todo) {
        ClassModel model = ClassFile.of().parse(bytes);
        for (PoolEntry entry : model.constantPool()) {
            if (!(entry instanceof Utf8Entry utf8)) {
                continue;
            }
            String text = utf8.stringValue();
            keep(text, classes, kept, todo);
            if (text.startsWith("[")) {
                keep(text.replaceFirst("^\\[+L", "").replace(";", ""), classes, kept, todo);
            }
            Matcher descriptor = DESCRIPTOR_NAME.matcher(text);
            while (descriptor.find()) {
                keep(descriptor.group(1), classes, kept, todo);
            }
            if (text.indexOf('.') > 0) {
                Matcher dotted = DOTTED_NAME.matcher(text);
                while (dotted.find()) {
                    keep(dotted.group().replace('.', '/'), classes, kept, todo);
                }
            }
        }
    }

    private static void keep(String name, Map<String, List<byte[]>> classes, Set<String> kept, Deque<String> todo) {
        if (classes.containsKey(name) && kept.add(name)) {
            todo.push(name);
        }
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    private static void write(Path in, Path out, Map<String, byte[]> entries, Set<String> kept, Set<String> packages)
            throws IOException {
        Manifest manifest;
        try (JarFile file = new JarFile(in.toFile())) {
            manifest = new Manifest(file.getManifest());
        }
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String path = entry.getKey();
                byte[] bytes = entry.getValue();
                if (path.equals(JarFile.MANIFEST_NAME) || path.startsWith("META-INF/services/")) {
                    continue;
                }
                String name = className(path);
                if (path.endsWith("module-info.class")) {
                    bytes = descriptor(bytes, packages, kept);
                } else if (name != null ? !kept.contains(name) : !keepResource(path, packages)) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(path));
                jar.write(bytes);
                jar.closeEntry();
            }
        }
    }

    /** A resource stays with its package (META-INF's own files stay, other than services). */
    private static boolean keepResource(String path, Set<String> packages) {
        String base = path.startsWith(VERSIONS) ? path.substring(path.indexOf('/', VERSIONS.length()) + 1) : path;
        return base.startsWith("META-INF/") || base.indexOf('/') < 0 || packages.contains(packageOf(base));
    }

    private static byte[] descriptor(byte[] moduleInfo, Set<String> packages, Set<String> kept) {
        ClassModel model = ClassFile.of().parse(moduleInfo);
        return ClassFile.of().transformClass(model, (builder, element) -> {
            if (element instanceof ModuleAttribute module) {
                List<ModuleExportInfo> exports = module.exports().stream()
                        .filter(e -> packages.contains(e.exportedPackage().name().stringValue())).toList();
                List<ModuleOpenInfo> opens = module.opens().stream()
                        .filter(o -> packages.contains(o.openedPackage().name().stringValue())).toList();
                List<ModuleProvideInfo> provides = new ArrayList<>();
                for (ModuleProvideInfo provide : module.provides()) {
                    var impls = provide.providesWith().stream()
                            .filter(c -> kept.contains(c.asInternalName())).toList();
                    if (!impls.isEmpty()) {
                        provides.add(ModuleProvideInfo.of(provide.provides(), impls));
                    }
                }
                builder.with(ModuleAttribute.of(module.moduleName(), module.moduleFlagsMask(),
                        module.moduleVersion().orElse(null), module.requires(), exports, opens, module.uses(),
                        provides));
            } else if (element instanceof ModulePackagesAttribute modulePackages) {
                List<PackageEntry> still = modulePackages.packages().stream()
                        .filter(p -> packages.contains(p.name().stringValue())).toList();
                builder.with(ModulePackagesAttribute.of(still));
            } else {
                builder.with(element);
            }
        });
    }
}
