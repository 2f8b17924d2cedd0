import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModuleExportInfo;
import java.lang.classfile.attribute.ModulePackagesAttribute;
import java.lang.classfile.attribute.ModuleRequireInfo;
import java.lang.constant.ModuleDesc;
import java.lang.constant.PackageDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build tool for the image: copies snappy-java, an automatic module that jlink refuses, into an explicit module
 * {@code org.xerial.snappy} (requires java.logging, exports its three packages), keeping the native libraries of
 * one operating system only (and, given one, of one processor architecture: its glibc and musl builds) and dropping
 * the OSGi bundle activator, whose OSGi classes the image does not have.
 *
 * <p>Usage: {@code java ModularizeSnappy.java IN.jar OUT.jar OS [ARCH]} (as {@code uname -s} and {@code uname -m}
 * print them; snappy-java names its x86_64, aarch64, ppc64le, s390x and riscv64 folders the same way; for a
 * processor it has no folder of that name for, all of the operating system's libraries stay).
 */
public final class ModularizeSnappy {

    private static final String NATIVE = "org/xerial/snappy/native/";

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String os = args[2];
        String arch = args.length > 3 && hasLibraryFor(in, os, args[3]) ? args[3] : null;
        Set<String> packages = new TreeSet<>();
        try (JarInputStream jar = new JarInputStream(Files.newInputStream(in));
             OutputStream file = Files.newOutputStream(out)) {
            Manifest manifest = jar.getManifest();
            try (JarOutputStream copy = new JarOutputStream(file, manifest)) {
                for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                    String name = entry.getName();
                    if (skip(name, os, arch)) {
                        continue;
                    }
                    byte[] bytes = jar.readAllBytes();
                    if (name.endsWith(".class")) {
                        packages.add(name.substring(0, name.lastIndexOf('/')).replace('/', '.'));
                    }
                    copy.putNextEntry(new JarEntry(name));
                    copy.write(bytes);
                    copy.closeEntry();
                }
                copy.putNextEntry(new JarEntry("module-info.class"));
                copy.write(moduleInfo(packages, version(in)));
                copy.closeEntry();
            }
        }
    }

    /** Whether the jar has a native library for this processor under snappy-java's name for it (else all stay). */
    private static boolean hasLibraryFor(Path jar, String os, String arch) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(e -> e.getName().startsWith(NATIVE + os + "/" + arch + "/")
                    && !e.isDirectory());
        }
    }

    private static boolean skip(String name, String os, String arch) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA"))) {
            return true;
        }
        if (name.equals("org/xerial/snappy/SnappyBundleActivator.class")) {
            return true;
        }
        // Native libraries of other operating systems are dead weight in an image built for this one.
        if (name.startsWith(NATIVE) && name.length() > NATIVE.length() && !name.startsWith(NATIVE + os + "/")) {
            return true;
        }
        // Likewise other processors' (s390x alone is 1.3 MB); the folders themselves stay.
        String own = NATIVE + os + "/";
        return arch != null && name.startsWith(own) && name.indexOf('/', own.length()) > 0
                && !name.startsWith(own + arch + "/") && !name.startsWith(own + arch + "-musl/");
    }

    private static String version(Path jar) {
        String file = jar.getFileName().toString();
        return file.replaceFirst("^snappy-java-", "").replaceFirst("\\.jar$", "");
    }

    private static byte[] moduleInfo(Set<String> packages, String version) {
        ModuleAttribute module = ModuleAttribute.of(ModuleDesc.of("org.xerial.snappy"), b -> {
            b.moduleVersion(version);
            b.requires(ModuleRequireInfo.of(ModuleDesc.of("java.base"), ClassFile.ACC_MANDATED, null));
            b.requires(ModuleRequireInfo.of(ModuleDesc.of("java.logging"), 0, null));
            for (String p : packages) {
                b.exports(ModuleExportInfo.of(PackageDesc.of(p), 0, List.of()));
            }
        });
        List<PackageDesc> descs = packages.stream().map(PackageDesc::of).toList();
        return ClassFile.of().buildModule(module, cb -> cb.with(ModulePackagesAttribute.ofNames(descs)));
    }
}
