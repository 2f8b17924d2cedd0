import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModuleRequireInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build tool for the image: copies a modular jar with some of its {@code requires} made {@code requires static}
 * (optional at run time), so jlink does not link modules only an unused corner of the library needs.
 * BouncyCastle requires java.sql and java.naming for its LDAP certificate store alone, and java.sql pulls in
 * java.xml (4 MB in the image). Signature files are dropped: the copy is no longer the signed jar.
 *
 * <p>Usage: {@code java OptionalRequires.java IN.jar OUT.jar MODULE...}
 */
public final class OptionalRequires {

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Set<String> optional = Set.of(List.of(args).subList(2, args.length).toArray(String[]::new));
        try (JarInputStream jar = new JarInputStream(Files.newInputStream(in));
             OutputStream file = Files.newOutputStream(out)) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putAll(jar.getManifest().getMainAttributes());
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            try (JarOutputStream copy = new JarOutputStream(file, manifest)) {
                int patched = 0;
                for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                    String name = entry.getName();
                    if (isSignature(name)) {
                        continue;
                    }
                    byte[] bytes = jar.readAllBytes();
                    if (name.endsWith("module-info.class")) {
                        bytes = withOptional(bytes, optional);
                        patched++;
                    }
                    copy.putNextEntry(new JarEntry(name));
                    copy.write(bytes);
                    copy.closeEntry();
                }
                if (patched == 0) {
                    throw new IOException(in + " has no module-info.class");
                }
            }
        }
    }

    private static boolean isSignature(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("META-INF/") && !upper.substring(9).contains("/")
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"));
    }

    private static byte[] withOptional(byte[] moduleInfo, Set<String> optional) {
        ClassModel model = ClassFile.of().parse(moduleInfo);
        return ClassFile.of().transformClass(model, (builder, element) -> {
            if (element instanceof ModuleAttribute module) {
                List<ModuleRequireInfo> requires = module.requires().stream()
                        .map(r -> optional.contains(r.requires().name().stringValue())
                                ? ModuleRequireInfo.of(r.requires(), r.requiresFlagsMask() | ClassFile.ACC_STATIC_PHASE,
                                        r.requiresVersion().orElse(null))
                                : r)
                        .toList();
                builder.with(ModuleAttribute.of(module.moduleName(), module.moduleFlagsMask(),
                        module.moduleVersion().orElse(null), requires, module.exports(), module.opens(),
                        module.uses(), module.provides()));
            } else {
                builder.with(element);
            }
        });
    }
}
