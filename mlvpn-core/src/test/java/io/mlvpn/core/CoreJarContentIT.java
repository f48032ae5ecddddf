package io.mlvpn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The core jar as packaged holds the engine only. The lab and the manual clock moved to
 * mlvpn-testkit (issue 17) and must not come back; nor may the testkit become a dependency
 * embedders inherit. Run by failsafe after {@code package}, on the jar itself (system property
 * {@code mlvpn.core.jar}), not on the classes directory.
 */
class CoreJarContentIT {
    private static final String POM = "META-INF/maven/io.mlvpn/mlvpn-core/pom.xml";

    @Test
    void holdsTheEngineButNotTheLabOrTheManualClock() throws IOException {
        List<String> files = new ArrayList<>();
        try (JarFile jar = new JarFile(coreJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                // A directory entry alone carries nothing; an empty io/mlvpn/core/lab/ is what a
                // build from before the move leaves in target/classes until the next clean.
                if (!e.isDirectory()) {
                    files.add(e.getName());
                }
            }
        }
        assertTrue(files.contains("io/mlvpn/core/TunnelBuilder.class"),
                "not the engine's jar: no TunnelBuilder among " + files.size() + " files");
        assertEquals(List.of(), files.stream().filter(CoreJarContentIT::isTestKit).toList(),
                "test-kit classes in the core jar; they belong to mlvpn-testkit");
    }

    @Test
    void theTestKitIsATestDependencyOnly() throws Exception {
        List<String> scopes = new ArrayList<>();
        try (JarFile jar = new JarFile(coreJar().toFile())) {
            JarEntry pom = jar.getJarEntry(POM);
            assertNotNull(pom, "no " + POM + " in the core jar");
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList dependencies;
            try (InputStream in = jar.getInputStream(pom)) {
                dependencies = factory.newDocumentBuilder().parse(in).getElementsByTagName("dependency");
            }
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element d = (Element) dependencies.item(i);
                if ("mlvpn-testkit".equals(child(d, "artifactId"))) {
                    String scope = child(d, "scope");
                    scopes.add(scope == null ? "compile" : scope);
                }
            }
        }
        assertEquals(List.of("test"), scopes, "mlvpn-testkit in core's pom, by scope");
    }

    /** The check itself: what it flags and what it leaves alone. */
    @Test
    void flagsTheLabTheManualClockAndTheTestKitOnly() {
        assertTrue(isTestKit("io/mlvpn/core/lab/UdpRelay.class"));
        assertTrue(isTestKit("io/mlvpn/core/lab/Impairment$Builder.class"));
        assertTrue(isTestKit("io/mlvpn/core/lab/package-info.class"));
        assertTrue(isTestKit("io/mlvpn/core/loop/ManualClock.class"));
        assertTrue(isTestKit("io/mlvpn/testkit/ManualClock.class"));
        assertTrue(isTestKit("io/mlvpn/testkit/lab/UdpRelay.class"));
        assertFalse(isTestKit("io/mlvpn/core/loop/SpscRing.class"));
        assertFalse(isTestKit("io/mlvpn/core/link/ProbeSchedule.class"));
        assertFalse(isTestKit("io/mlvpn/core/labels/Name.class"));
        assertFalse(isTestKit("io/mlvpn/core/TunnelBuilder.class"));
    }

    private static boolean isTestKit(String file) {
        return file.startsWith("io/mlvpn/core/lab/")
                || file.startsWith("io/mlvpn/core/loop/ManualClock")
                || file.startsWith("io/mlvpn/testkit/");
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static Path coreJar() {
        String property = System.getProperty("mlvpn.core.jar");
        assertNotNull(property, "mlvpn.core.jar not set: this test runs under failsafe (mvn verify)");
        Path jar = Path.of(property);
        assertTrue(Files.isRegularFile(jar), "no core jar at " + jar);
        return jar;
    }
}
