package io.mlvpn.tun.bsd.internal;

/**
 * The ioctl request encoding of {@code sys/ioccom.h}, identical on FreeBSD, OpenBSD and macOS:
 * direction in the top three bits, parameter length in the 13 bits below them, then the group
 * character and the number.
 *
 * <pre>
 * #define IOCPARM_MASK 0x1fff
 * #define IOC_VOID     0x20000000
 * #define IOC_OUT      0x40000000
 * #define IOC_IN       0x80000000
 * #define _IOC(inout, group, num, len) ((inout) | (((len) &amp; IOCPARM_MASK) &lt;&lt; 16) | ((group) &lt;&lt; 8) | (num))
 * </pre>
 */
public final class Ioccom {
    /** Parameter length mask. */
    public static final int IOCPARM_MASK = 0x1fff;
    /** No parameters. */
    public static final long IOC_VOID = 0x20000000L;
    /** Copy parameters out. */
    public static final long IOC_OUT = 0x40000000L;
    /** Copy parameters in. */
    public static final long IOC_IN = 0x80000000L;
    /** Copy parameters in and out. */
    public static final long IOC_INOUT = IOC_IN | IOC_OUT;

    private Ioccom() {
    }

    /** {@code _IOC(inout, group, num, len)}; the result is an unsigned 32-bit value in a long. */
    public static long ioc(long inout, char group, int num, int len) {
        if (len < 0 || len > IOCPARM_MASK) {
            throw new IllegalArgumentException("ioctl parameter length outside 0.." + IOCPARM_MASK + ": " + len);
        }
        if (num < 0 || num > 0xff) {
            throw new IllegalArgumentException("ioctl number outside 0..255: " + num);
        }
        return inout | ((long) (len & IOCPARM_MASK) << 16) | ((long) (group & 0xff) << 8) | num;
    }

    /** {@code _IO(group, num)}. */
    public static long io(char group, int num) {
        return ioc(IOC_VOID, group, num, 0);
    }

    /** {@code _IOR(group, num, type)} with {@code len = sizeof(type)}. */
    public static long ior(char group, int num, int len) {
        return ioc(IOC_OUT, group, num, len);
    }

    /** {@code _IOW(group, num, type)} with {@code len = sizeof(type)}. */
    public static long iow(char group, int num, int len) {
        return ioc(IOC_IN, group, num, len);
    }

    /** {@code _IOWR(group, num, type)} with {@code len = sizeof(type)}. */
    public static long iowr(char group, int num, int len) {
        return ioc(IOC_INOUT, group, num, len);
    }
}
