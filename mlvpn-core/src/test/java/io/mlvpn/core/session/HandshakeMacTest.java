package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.PreSharedKey;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HandshakeMacTest {
    private final HandshakeKey key = HandshakeKey.derive(PreSharedKey.of(new byte[32]));

    @Test
    void tagIsTheTruncatedHmacOfHeaderAndPayload() throws Exception {
        byte[] b = new byte[60];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        HandshakeMac mac = key.newMac();
        mac.sign(b, 4, 40);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key.handshakeKeyBytes(), "HmacSHA256"));
        jdk.update(b, 4, 40);
        assertArrayEquals(Arrays.copyOf(jdk.doFinal(), 16), Arrays.copyOfRange(b, 44, 60));
        assertTrue(mac.verify(b, 4, 56));
        assertTrue(key.newMac().verify(b, 4, 56), "another instance agrees");
    }

    @Test
    void verifyRefusesChangesAndShortInput() {
        byte[] b = new byte[50];
        HandshakeMac mac = key.newMac();
        mac.sign(b, 0, 34);
        for (int i = 0; i < b.length; i++) {
            b[i] ^= 1;
            assertFalse(mac.verify(b, 0, 50), "byte " + i);
            b[i] ^= 1;
        }
        assertTrue(mac.verify(b, 0, 50));
        assertFalse(mac.verify(b, 0, 15));
        assertFalse(mac.verify(b, 0, 0));
        assertFalse(mac.verify(b, 0, 49));
    }

    @Test
    void outOfRangeIsABug() {
        HandshakeMac mac = key.newMac();
        assertThrows(IndexOutOfBoundsException.class, () -> mac.sign(new byte[20], 0, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.verify(new byte[20], 0, 21));
    }

    @Test
    void differentPreSharedKeysGiveDifferentHandshakeKeys() {
        byte[] other = new byte[32];
        other[31] = 1;
        assertFalse(Arrays.equals(key.handshakeKeyBytes(),
                HandshakeKey.derive(PreSharedKey.of(other)).handshakeKeyBytes()));
    }
}
