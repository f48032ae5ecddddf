package io.mlvpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SealersTest {

    private static final int HEADER = 8;

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void everySuiteIsAvailableOnJdk17(CipherSuite suite) {
        assertTrue(Sealers.isAvailable(suite), () -> suite + ": " + Sealers.unavailabilityCause(suite));
        assertNull(Sealers.unavailabilityCause(suite));
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void createdSealerReportsItsSuite(CipherSuite suite) {
        assertEquals(suite, Sealers.create(suite, key()).suite());
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void keysOfTheWrongLengthAreRefused(CipherSuite suite) {
        for (int length : new int[] {0, 16, 31, 33, 64}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Sealers.create(suite, new byte[length]));
            assertEquals("key length != 32: " + length, e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void theKeyIsCopied(CipherSuite suite) {
        byte[] key = key();
        PacketSealer sealer = Sealers.create(suite, key);
        Arrays.fill(key, (byte) 0); // the caller wipes its copy
        byte[] buf = new byte[HEADER + 50 + CipherSuite.TAG_LENGTH];

        int sealed = sealer.seal(1, 2L, buf, 0, HEADER, 50);

        assertEquals(50, Sealers.create(suite, key()).open(1, 2L, buf, 0, HEADER, sealed - HEADER));
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void toStringHidesTheKey(CipherSuite suite) {
        String text = Sealers.create(suite, key()).toString();

        assertTrue(text.contains("redacted"), text);
        assertTrue(text.contains(suite.configName()), text);
        assertFalse(text.contains("0102"), text);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void sealingTheSameNonceTwiceInARowIsRefused(CipherSuite suite) {
        PacketSealer sealer = Sealers.create(suite, key());
        byte[] buf = new byte[HEADER + 20 + CipherSuite.TAG_LENGTH];
        sealer.seal(7, 9L, buf, 0, HEADER, 20);

        var e = assertThrows(IllegalStateException.class, () -> sealer.seal(7, 9L, buf, 0, HEADER, 20));
        assertTrue(e.getMessage().contains("nonceId 7, counter 9"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void sealOutsideTheArrayIsACallerBug(CipherSuite suite) {
        PacketSealer sealer = Sealers.create(suite, key());
        byte[] buf = new byte[HEADER + 20 + CipherSuite.TAG_LENGTH];

        var noRoomForTag = assertThrows(IndexOutOfBoundsException.class, () -> sealer.seal(1, 1L, buf, 1, HEADER, 20));
        assertEquals("seal: offset 1 + aad 8 + payload 20 + tag 16 > buffer 44", noRoomForTag.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> sealer.seal(1, 2L, buf, -1, HEADER, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> sealer.seal(1, 3L, buf, 0, -1, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> sealer.seal(1, 4L, buf, 0, HEADER, -1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> sealer.seal(1, 5L, buf, 0, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1);
        }
        return key;
    }
}
