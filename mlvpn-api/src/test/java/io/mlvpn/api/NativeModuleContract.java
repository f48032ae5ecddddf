package io.mlvpn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of a native module (mlvpn-tun-linux, mlvpn-tun-bsd), checked on its compiled
 * classes: JNA types are named only in the module's {@code internal} package, and no class names a
 * logging API, since the module reports through exceptions and API types that the caller logs
 * (for example {@link io.mlvpn.api.device.PacketDevice#offloadsRefused()}). A class's constant
 * pool holds the internal name of every type it uses (imports, fully qualified names and method
 * descriptors alike), so a byte search finds each use. Each native module subclasses this,
 * supplying the two classes below.
 */
public abstract class NativeModuleContract {
    /** Type-name prefixes of logging APIs, in the constant pool's internal form. */
    private static final List<String> LOGGING = List.of("org/slf4j/", "java/lang/System$Logger",
            "java/util/logging/", "org/apache/logging/", "org/apache/commons/logging/");

    /** A class of the module's main code outside {@code internal}: locates its compiled classes. */
    protected abstract Class<?> anchor();

    /** The module's JNA library mapping, in its {@code internal} package: proves the search sees JNA. */
    protected abstract Class<?> nativeBinding();

    @Test
    void jnaIsNamedOnlyInTheInternalPackage() {
        String internal = nativeBinding().getPackageName().replace('.', '/') + "/";
        assertTrue(internal.endsWith("/internal/"), internal);
        List<String> outside = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (String c : classesNaming("com/sun/jna/")) {
            (c.startsWith(internal) ? inside : outside).add(c);
        }
        assertEquals(List.of(), outside, "classes outside " + internal + " that use JNA");
        String binding = nativeBinding().getName().replace('.', '/') + ".class";
        assertTrue(inside.contains(binding), () -> binding + " not found using JNA among " + inside);
    }

    @Test
    void noClassNamesALoggingApi() {
        for (String prefix : LOGGING) {
            assertEquals(List.of(), classesNaming(prefix), "classes that use " + prefix);
        }
    }

    /** The module's classes (paths relative to its class root) whose bytes contain {@code name}. */
    private List<String> classesNaming(String name) {
        Path root;
        try {
            root = Path.of(anchor().getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        assertTrue(Files.isDirectory(root), () -> "main classes are not a directory: " + root);
        List<String> found = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path c : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                classes++;
                // ISO-8859-1 maps each byte to one char, so an ASCII name is found wherever it stands.
                if (new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1).contains(name)) {
                    found.add(root.relativize(c).toString().replace('\\', '/'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(classes > 0, () -> "no classes under " + root);
        return found;
    }
}
