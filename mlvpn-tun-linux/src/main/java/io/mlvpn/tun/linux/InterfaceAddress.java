package io.mlvpn.tun.linux;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An interface address parsed from CIDR text ({@code 10.8.0.1/24}, {@code fd00::1/64}); a missing
 * prefix means a host address (/32, /128). Only literals are accepted, so parsing never resolves a
 * name. Instances are immutable.
 */
final class InterfaceAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] bytes;
    private final int prefixLength;

    private InterfaceAddress(byte[] bytes, int prefixLength) {
        this.bytes = bytes;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code text}.
     *
     * @param what names the setting in the error message ({@code interface address})
     * @throws IOException saying what is wrong with the text
     */
    static InterfaceAddress parse(String text, String what) throws IOException {
        String address = text.trim();
        int prefix = -1;
        int slash = address.indexOf('/');
        if (slash >= 0) {
            String p = address.substring(slash + 1);
            address = address.substring(0, slash);
            if (!p.matches("\\d{1,3}")) {
                throw bad(text, what, "prefix length is not a number");
            }
            prefix = Integer.parseInt(p);
        }
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            throw bad(text, what, "not an IPv4 or IPv6 address literal");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw bad(text, what, "not an IPv4 or IPv6 address literal");
        }
        int bits = parsed instanceof Inet4Address ? 32 : 128;
        if (prefix > bits) {
            throw bad(text, what, "prefix length above " + bits);
        }
        return new InterfaceAddress(parsed.getAddress(), prefix < 0 ? bits : prefix);
    }

    private static IOException bad(String text, String what, String reason) {
        return new IOException(what + " \"" + text + "\": " + reason + " (want CIDR form such as 10.8.0.1/24)");
    }

    boolean isIpv6() {
        return bytes.length == 16;
    }

    /** Address bytes, big-endian; a copy. */
    byte[] bytes() {
        return bytes.clone();
    }

    int prefixLength() {
        return prefixLength;
    }

    /** The IPv4 netmask of the prefix length, big-endian. */
    byte[] ipv4Netmask() {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return new byte[] {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
