package io.mlvpn.tun.linux.internal;

import java.util.Locale;

/**
 * Whether this process can call into libc through JNA at all: the operating system is Linux and
 * {@link LibC} binds. Computed once.
 */
public final class NativeSupport {
    private static final String CAUSE = probe();

    private NativeSupport() {
    }

    /** True when on Linux and {@link LibC} loaded. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why {@link #isAvailable()} is false, or {@code "available"}. */
    public static String unavailabilityCause() {
        return CAUSE == null ? "available" : CAUSE;
    }

    private static String probe() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux (os.name=" + os + ")";
        }
        try {
            Class.forName(LibC.class.getName(), true, NativeSupport.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "JNA cannot load libc: " + e;
        }
    }
}
