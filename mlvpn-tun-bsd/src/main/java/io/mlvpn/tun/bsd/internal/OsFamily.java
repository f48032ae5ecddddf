package io.mlvpn.tun.bsd.internal;

import java.util.Locale;

/** The operating systems this module tells apart, from the JVM's {@code os.name}. */
public enum OsFamily {
    /** FreeBSD: cloning {@code /dev/tun} and {@code /dev/tap}, renameable interfaces. */
    FREEBSD("FreeBSD"),
    /** OpenBSD: fixed {@code /dev/tunN} and {@code /dev/tapN} nodes. */
    OPENBSD("OpenBSD"),
    /** macOS: {@code utun} kernel-control sockets, no tap. */
    MACOS("macOS"),
    /** Linux: served by mlvpn-tun-linux, not by this module. */
    LINUX("Linux"),
    /** Anything else. */
    OTHER("other");

    private final String displayName;

    OsFamily(String displayName) {
        this.displayName = displayName;
    }

    /** Human-readable name for messages. */
    public String displayName() {
        return displayName;
    }

    /** True for the systems this module serves. */
    public boolean isServed() {
        return this == FREEBSD || this == OPENBSD || this == MACOS;
    }

    /**
     * Maps a JVM {@code os.name} value ({@code "FreeBSD"}, {@code "OpenBSD"}, {@code "Mac OS X"},
     * {@code "Darwin"}, {@code "Linux"}, ...) to its family; unknown names give {@link #OTHER}.
     */
    public static OsFamily of(String osName) {
        String n = osName.trim().toLowerCase(Locale.ROOT);
        if (n.equals("freebsd")) {
            return FREEBSD;
        }
        if (n.equals("openbsd")) {
            return OPENBSD;
        }
        if (n.startsWith("mac os x") || n.startsWith("macos") || n.equals("darwin")) {
            return MACOS;
        }
        if (n.equals("linux")) {
            return LINUX;
        }
        return OTHER;
    }

    /** The family of the running JVM. */
    public static OsFamily current() {
        return of(System.getProperty("os.name", ""));
    }
}
