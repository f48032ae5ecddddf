package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class InterfaceAddressTest {

    @Test
    void ipv4WithPrefix() throws IOException {
        InterfaceAddress a = InterfaceAddress.parse("10.99.0.1/24", "interface address");
        assertFalse(a.isIpv6());
        assertArrayEquals(new byte[] {10, 99, 0, 1}, a.bytes());
        assertEquals(24, a.prefixLength());
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}, a.ipv4Netmask());
        assertEquals("10.99.0.1/24", a.toString());
    }

    @Test
    void missingPrefixMeansHost() throws IOException {
        assertEquals(32, InterfaceAddress.parse("10.0.0.2", "x").prefixLength());
        assertEquals(128, InterfaceAddress.parse("fd00::2", "x").prefixLength());
    }

    @Test
    void netmaskEdges() throws IOException {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, InterfaceAddress.parse("10.0.0.1/0", "x").ipv4Netmask());
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, InterfaceAddress.parse("10.0.0.1/32", "x").ipv4Netmask());
        assertArrayEquals(new byte[] {-1, -128, 0, 0}, InterfaceAddress.parse("10.0.0.1/9", "x").ipv4Netmask());
    }

    @Test
    void ipv6() throws IOException {
        InterfaceAddress a = InterfaceAddress.parse("fd00:99::1/64", "x");
        assertTrue(a.isIpv6());
        assertEquals(64, a.prefixLength());
        assertEquals(16, a.bytes().length);
    }

    @Test
    void badTextIsRefusedWithTheSettingAndReason() {
        IOException e = assertThrows(IOException.class, () -> InterfaceAddress.parse("vpn.example/24", "interface address"));
        assertTrue(e.getMessage().startsWith("interface address \"vpn.example/24\": not an IPv4 or IPv6 address literal"),
                e.getMessage());
        assertTrue(assertThrows(IOException.class, () -> InterfaceAddress.parse("10.0.0.1/33", "x"))
                .getMessage().contains("prefix length above 32"));
        assertTrue(assertThrows(IOException.class, () -> InterfaceAddress.parse("fd00::1/129", "x"))
                .getMessage().contains("prefix length above 128"));
        assertTrue(assertThrows(IOException.class, () -> InterfaceAddress.parse("10.0.0.1/x", "x"))
                .getMessage().contains("prefix length is not a number"));
        assertThrows(IOException.class, () -> InterfaceAddress.parse("300.0.0.1/8", "x"));
        assertThrows(IOException.class, () -> InterfaceAddress.parse("fe80::1%eth0", "x"));
        assertThrows(IOException.class, () -> InterfaceAddress.parse("", "x"));
    }
}
