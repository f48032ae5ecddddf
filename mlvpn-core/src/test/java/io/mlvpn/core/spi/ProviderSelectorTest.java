package io.mlvpn.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part DeviceProviders and TransportProviders share, on a toy SPI of the same shape: ordering,
 * the messages, and the stand-in that {@link UnloadableProvider} gives any such SPI.
 */
public class ProviderSelectorTest {
    private static final ProviderSelector<GadgetProvider, String> SELECTOR = new ProviderSelector<>(new GadgetKind());

    private final Gadget red = new Gadget("red-maker", 10, null, "red");
    private final Gadget any = new Gadget("any-maker", 0, null, "red", "blue");
    private final Gadget down = new Gadget("down-maker", 50, "no factory here", "red", "blue");

    /** A provider interface with the five accessors every SPI has, and an open. */
    public interface GadgetProvider {
        /** Its name. */
        String name();

        /** Higher wins. */
        int priority();

        /** Whether it works here. */
        boolean isAvailable();

        /** Why not. */
        String unavailabilityCause();

        /** Whether it makes gadgets of this colour. */
        boolean supports(String colour);

        /** Makes one. */
        String open(String colour) throws IOException;
    }

    private static final class GadgetKind extends ProviderSelector.Kind<GadgetProvider, String> {
        GadgetKind() {
            super(GadgetProvider.class, "gadget", UnloadableGadget::new, GadgetProvider::name,
                    GadgetProvider::priority, GadgetProvider::isAvailable, GadgetProvider::unavailabilityCause,
                    GadgetProvider::supports);
        }

        @Override
        protected String unsupported(String colour) {
            return "makes no " + colour;
        }

        @Override
        protected String describe(String colour) {
            return colour;
        }

        @Override
        protected String target(String colour) {
            return "a " + colour + " gadget";
        }
    }

    private static final class UnloadableGadget extends UnloadableProvider<String, String, String>
            implements GadgetProvider {
        UnloadableGadget(String name, String cause) {
            super("gadget", name, cause);
        }
    }

    /** A provider a test configures. */
    public static class Gadget implements GadgetProvider {
        private final String name;
        private final int priority;
        private final String cause;
        private final List<String> colours;

        Gadget(String name, int priority, String cause, String... colours) {
            this.name = name;
            this.priority = priority;
            this.cause = cause;
            this.colours = List.of(colours);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public boolean isAvailable() {
            return cause == null;
        }

        @Override
        public String unavailabilityCause() {
            return cause == null ? "available" : cause;
        }

        @Override
        public boolean supports(String colour) {
            return colours.contains(colour);
        }

        @Override
        public String open(String colour) {
            return colour + " gadget by " + name;
        }
    }

    /** Found through a service file: available, makes blue ones. */
    public static final class LoadedGadget extends Gadget {
        /** For ServiceLoader. */
        public LoadedGadget() {
            super("loaded-maker", 5, null, "blue");
        }
    }

    /** Found through a service file, and fails to instantiate. */
    public static final class BrokenGadget extends Gadget {
        /** For ServiceLoader: throws. */
        public BrokenGadget() {
            super("broken-maker", 100, null);
            throw new IllegalStateException("no native library");
        }
    }

    @Test
    void orderIsPriorityDescendingThenName() {
        Gadget alsoTen = new Gadget("a-maker", 10, null);
        List<GadgetProvider> sorted = new ArrayList<>(List.of(any, red, down, alsoTen));
        sorted.sort(SELECTOR.order());
        assertEquals(List.of(down, alsoTen, red, any), sorted);
    }

    @Test
    void selectTakesTheFirstThatIsAvailableAndSupports() throws IOException {
        assertSame(red, SELECTOR.select(List.of(any, down, red), "red", null));
        assertSame(any, SELECTOR.select(List.of(any, down, red), "blue", null));
    }

    @Test
    void noneFitsNamesEveryProviderAndWhy() {
        IOException e = assertThrows(IOException.class, () -> SELECTOR.select(List.of(any, down, red), "green", null));
        assertEquals("no gadget provider for green: down-maker: no factory here; red-maker: makes no green; "
                + "any-maker: makes no green", e.getMessage());
        IOException none = assertThrows(IOException.class, () -> SELECTOR.select(List.of(), "green", null));
        assertEquals("no gadget provider for green: no providers on the class path", none.getMessage());
    }

    @Test
    void aNamedProviderIsTakenOrRefusedWithItsReason() throws IOException {
        assertSame(any, SELECTOR.select(List.of(red, any), "red", "any-maker"));
        IOException refused = assertThrows(IOException.class, () -> SELECTOR.select(List.of(down), "red", "down-maker"));
        assertEquals("gadget provider down-maker cannot open a red gadget: no factory here", refused.getMessage());
        IOException unknown = assertThrows(IOException.class, () -> SELECTOR.select(List.of(red, any), "red", "x"));
        assertEquals("no gadget provider named \"x\"; known: red-maker, any-maker", unknown.getMessage());
    }

    @Test
    void aProviderThatThrowsIsReportedNotFatal() throws IOException {
        Gadget flaky = new Gadget("flaky-maker", 99, null, "red") {
            @Override
            public boolean supports(String colour) {
                throw new IllegalStateException("probe crashed");
            }
        };
        assertSame(red, SELECTOR.select(List.of(flaky, red), "red", null));
        IOException e = assertThrows(IOException.class, () -> SELECTOR.select(List.of(flaky), "red", "flaky-maker"));
        assertEquals("gadget provider flaky-maker cannot open a red gadget: failed: IllegalStateException: probe crashed",
                e.getMessage());
    }

    @Test
    void aStandInIsNamedUnavailableLastAndFailsToOpen() {
        GadgetProvider standIn = new UnloadableGadget("com.example.Gone", "failed to load: NoClassDefFoundError: x");
        assertEquals("com.example.Gone", standIn.name());
        assertEquals(Integer.MIN_VALUE, standIn.priority());
        assertFalse(standIn.isAvailable());
        assertEquals("failed to load: NoClassDefFoundError: x", standIn.unavailabilityCause());
        assertFalse(standIn.supports("red"));
        IOException e = assertThrows(IOException.class, () -> standIn.open("red"));
        assertEquals("gadget provider com.example.Gone failed to load: NoClassDefFoundError: x", e.getMessage());
    }

    @Test
    void loadKeepsWhatFailedAsStandIns(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(GadgetProvider.class.getName()), List.of(
                BrokenGadget.class.getName(), "io.mlvpn.nowhere.MissingGadget", LoadedGadget.class.getName()),
                StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<GadgetProvider> loaded = SELECTOR.load(loader);

            assertEquals(3, loaded.size(), loaded.toString());
            assertEquals("loaded-maker", loaded.get(0).name());
            GadgetProvider broken = loaded.get(1).name().equals(BrokenGadget.class.getName()) ? loaded.get(1) : loaded.get(2);
            GadgetProvider missing = broken == loaded.get(1) ? loaded.get(2) : loaded.get(1);
            assertEquals("failed to load: IllegalStateException: no native library", broken.unavailabilityCause());
            assertTrue(missing.name().startsWith("unloadable-"), missing.name());
            assertTrue(missing.unavailabilityCause().contains("MissingGadget"), missing.unavailabilityCause());
            IOException e = assertThrows(IOException.class,
                    () -> SELECTOR.select(loaded, "blue", BrokenGadget.class.getName()));
            assertEquals("gadget provider " + BrokenGadget.class.getName()
                    + " cannot open a blue gadget: failed to load: IllegalStateException: no native library", e.getMessage());
            assertSame(loaded.get(0), SELECTOR.select(loaded, "blue", null));
        }
    }

    @Test
    void messageOfPrefersTheCause() {
        assertEquals("IllegalStateException: inner",
                ProviderSelector.messageOf(new RuntimeException("outer", new IllegalStateException("inner"))));
        assertEquals(NullPointerException.class.getName(), ProviderSelector.messageOf(new NullPointerException()));
    }
}
