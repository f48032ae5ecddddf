package io.mlvpn.tun.bsd.internal;

import java.nio.charset.StandardCharsets;

/** NUL-terminated C strings in fixed-size byte arrays. */
final class CStrings {
    private CStrings() {
    }

    /** The bytes up to the first NUL (or all of them) as ASCII. */
    static String decode(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    /** Copies {@code s} into {@code into}, NUL-terminated; fails when it does not fit. */
    static void encode(String s, byte[] into) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length >= into.length) {
            throw new IllegalArgumentException("string longer than " + (into.length - 1) + " bytes: " + s);
        }
        java.util.Arrays.fill(into, (byte) 0);
        System.arraycopy(b, 0, into, 0, b.length);
    }
}
