package io.mlvpn.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the ownership rules of a link's state (issue 17) where the types cannot: every field of
 * the link package is private, so only a part's own methods change it; no public method hands out a
 * thread's part except where that thread gets it; and, in core's compiled classes, only the code
 * running on a part's thread names that part's type.
 */
class LinkOwnershipTest {
    private static final String LINK = "io/mlvpn/core/link/";
    /** Per part, the classes outside core.link that may name it (their own nested classes too). */
    private static final Map<String, Set<String>> USERS = Map.of(
            "TimerSide", Set.of("io/mlvpn/core/ControlLoop", "io/mlvpn/core/ControlSender",
                    "io/mlvpn/core/Reload", "io/mlvpn/core/TunnelBuilder", "io/mlvpn/core/BondedTunnel"),
            "ReceiveSide", Set.of("io/mlvpn/core/LinkReceiverLoop", "io/mlvpn/core/HandshakeHandler",
                    "io/mlvpn/core/BondedTunnel"),
            "SendSide", Set.of("io/mlvpn/core/DeviceReaderLoop"));

    @Test
    void everyInstanceFieldOfTheLinkPackageIsPrivate() throws Exception {
        List<String> open = new ArrayList<>();
        for (Class<?> c : linkClasses()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && !Modifier.isPrivate(f.getModifiers())) {
                    open.add(c.getSimpleName() + "." + f.getName());
                }
            }
        }
        assertEquals(List.of(), open, "non-private instance fields in core.link");
    }

    @Test
    void partsAreHandedOutOnlyToTheirThreads() throws Exception {
        // The creator of a link gets its timer side; the device reader takes send sides from the
        // link set; the timer hands each receiver its receive side through a ReceiverStarter.
        Set<String> allowed = Set.of("LinkRuntime.create", "LinkArray.sendSide");
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : linkClasses()) {
            for (Method m : c.getDeclaredMethods()) {
                Class<?> r = m.getReturnType();
                boolean part = r == TimerSide.class || r == ReceiveSide.class || r == SendSide.class;
                String name = c.getSimpleName() + "." + m.getName();
                if (part && Modifier.isPublic(m.getModifiers()) && !allowed.contains(name)) {
                    leaks.add(name);
                }
            }
        }
        assertEquals(List.of(), leaks, "public methods that hand out a thread's part of a link");
    }

    @Test
    void onlyTheOwningThreadsCodeNamesAPart() throws Exception {
        Path root = classesRoot();
        Map<String, Set<String>> found = new TreeMap<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(p).toString().replace('\\', '/').replace(".class", "");
                scanned++;
                if (name.startsWith(LINK)) {
                    continue;
                }
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                for (Map.Entry<String, Set<String>> e : USERS.entrySet()) {
                    // Class names are ASCII, so they sit verbatim in the constant pool: in a
                    // descriptor or signature ("L...;"), or as a class entry of their own.
                    if (text.contains(LINK + e.getKey() + ";") || containsClassEntry(text, LINK + e.getKey())) {
                        if (!e.getValue().contains(outer)) {
                            found.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(name);
                        }
                    }
                }
            }
        }
        assertTrue(scanned > 100, "core classes scanned: " + scanned + " under " + root);
        assertEquals(Map.of(), found, "classes that name another thread's part of a link");
    }

    /** Whether the constant pool holds {@code className} as a whole UTF-8 entry (a class reference). */
    private static boolean containsClassEntry(String classFile, String className) {
        int len = className.length();
        String entry = "\u0001" + (char) (len >> 8) + (char) (len & 0xFF) + className;
        return classFile.contains(entry);
    }

    /** Every class compiled from core.link, nested ones included. */
    private static List<Class<?>> linkClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = classesRoot().resolve(LINK);
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String simple = p.getFileName().toString().replace(".class", "");
                if (!simple.equals("package-info")) {
                    classes.add(Class.forName(LINK.replace('/', '.') + simple));
                }
            }
        }
        assertTrue(classes.size() >= 10, "link classes found: " + classes);
        return classes;
    }

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(LinkRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
