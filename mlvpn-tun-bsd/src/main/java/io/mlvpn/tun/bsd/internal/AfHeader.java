package io.mlvpn.tun.bsd.internal;

import java.nio.ByteOrder;

/**
 * The 4-byte address-family header that BSD tun (in FreeBSD's multi-af mode, always on OpenBSD)
 * and macOS utun put in front of each packet: the family ({@code AF_INET}, or the system's
 * {@code AF_INET6}) as a 32-bit integer in network byte order. On write the family is derived
 * from the IP version nibble of the packet; on read the header is checked and stripped.
 * Instances are immutable.
 */
public final class AfHeader {
    /** Header length in bytes. */
    public static final int LENGTH = 4;
    /** Returned for a version or family this codec does not know. */
    public static final int UNKNOWN = -1;

    private static final boolean NATIVE_IS_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private final int afInet6;

    private AfHeader(int afInet6) {
        this.afInet6 = afInet6;
    }

    /** The codec of the given system. */
    public static AfHeader forOs(OsFamily os) {
        int v6 = SysSocket.afInet6(os);
        if (v6 < 0) {
            throw new IllegalArgumentException("no address-family header on " + os.displayName());
        }
        return new AfHeader(v6);
    }

    /** The family for an IP version nibble (4 or 6), or {@link #UNKNOWN}. */
    public int familyForIpVersion(int version) {
        if (version == 4) {
            return SysSocket.AF_INET;
        }
        if (version == 6) {
            return afInet6;
        }
        return UNKNOWN;
    }

    /** The IP version (4 or 6) of a family, or {@link #UNKNOWN}. */
    public int ipVersionForFamily(int family) {
        if (family == SysSocket.AF_INET) {
            return 4;
        }
        if (family == afInet6) {
            return 6;
        }
        return UNKNOWN;
    }

    /** The family for the first byte of an IP packet, or {@link #UNKNOWN}. */
    public int familyForPacket(byte firstByte) {
        return familyForIpVersion((firstByte & 0xff) >>> 4);
    }

    /**
     * The header as an int to store with a native-order 4-byte write (JNA {@code setInt}), so the
     * bytes land in network order.
     */
    public static int toNativeOrder(int family) {
        return NATIVE_IS_BIG_ENDIAN ? family : Integer.reverseBytes(family);
    }

    /** The family from an int loaded with a native-order 4-byte read of the header. */
    public static int fromNativeOrder(int raw) {
        return NATIVE_IS_BIG_ENDIAN ? raw : Integer.reverseBytes(raw);
    }
}
