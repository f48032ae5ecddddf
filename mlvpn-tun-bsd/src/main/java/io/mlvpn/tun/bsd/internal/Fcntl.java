package io.mlvpn.tun.bsd.internal;

/**
 * Constants of {@code fcntl.h} and {@code unistd.h}.
 *
 * <pre>
 * all:     #define O_RDWR 0x0002   #define F_SETFD 2   #define F_GETFL 3   #define F_SETFL 4
 *          #define FD_CLOEXEC 1    #define W_OK 0x02   #define R_OK 0x04
 * BSDs, macOS: #define O_NONBLOCK 0x0004
 * Linux:       #define O_NONBLOCK 04000 (octal)
 * </pre>
 */
public final class Fcntl {
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 0x0002;
    /** {@code F_SETFD}. */
    public static final int F_SETFD = 2;
    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;
    /** {@code FD_CLOEXEC}. */
    public static final int FD_CLOEXEC = 1;
    /** {@code W_OK} for access(2). */
    public static final int W_OK = 0x02;
    /** {@code R_OK} for access(2). */
    public static final int R_OK = 0x04;

    private Fcntl() {
    }

    /** {@code O_NONBLOCK} of the given system. */
    public static int oNonblock(OsFamily os) {
        return os == OsFamily.LINUX ? 0x800 : 0x0004;
    }
}
