package io.mlvpn.api.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link PacketSealer} must show. An implementation's test extends this class
 * and supplies {@link #newSealer}; keys given to it are 32 bytes.
 *
 * <p>Packets are laid out as {@code [guard][header][payload][tag][guard]} at a non-zero offset, so
 * the tests also catch writes outside the packet.
 */
public abstract class PacketSealerContract {

    /** Header (associated data) length used by the tests. */
    protected static final int HEADER_LENGTH = 16;
    /** Where the header starts in the test arrays; non-zero on purpose. */
    protected static final int OFFSET = 5;
    private static final int GUARD_LENGTH = 7;
    private static final int NONCE_ID = 0x0a0b0c0d;
    private static final long COUNTER = 0x0102030405060708L;

    private final byte[] key = bytes(32, 1);
    private PacketSealer sealer;

    /** A new sealer under {@code key} (32 bytes; the sealer must copy it). */
    protected abstract PacketSealer newSealer(byte[] key);

    @BeforeEach
    final void createSealer() {
        sealer = newSealer(key.clone());
    }

    @ParameterizedTest(name = "payload {0} bytes")
    @ValueSource(ints = {0, 1, 63, 64, 512, 1400, 9000})
    void sealThenOpenRestoresThePayloadAndTouchesNothingElse(int payloadLength) {
        byte[] plain = plainPacket(payloadLength, 2);
        byte[] buf = plain.clone();

        int sealedLength = sealer.seal(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, payloadLength);

        assertEquals(HEADER_LENGTH + payloadLength + sealer.overhead(), sealedLength, "sealed length");
        assertRangeEquals(plain, buf, 0, OFFSET + HEADER_LENGTH, "guard and header after seal");
        int end = OFFSET + sealedLength;
        assertRangeEquals(plain, buf, end, buf.length, "trailing guard after seal");
        if (payloadLength >= 16 && !sealer.insecureCleartext()) {
            assertFalse(Arrays.equals(plain, OFFSET + HEADER_LENGTH, OFFSET + HEADER_LENGTH + payloadLength,
                    buf, OFFSET + HEADER_LENGTH, OFFSET + HEADER_LENGTH + payloadLength), "ciphertext equals plaintext");
        }

        int opened = sealer.open(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, sealedLength - HEADER_LENGTH);

        assertEquals(payloadLength, opened, "opened length");
        assertRangeEquals(plain, buf, 0, OFFSET + HEADER_LENGTH + payloadLength, "guard, header and payload after open");
        assertRangeEquals(plain, buf, end, buf.length, "trailing guard after open");
    }

    @Test
    void sealWithoutHeaderRoundTrips() {
        byte[] plain = bytes(OFFSET + 100 + sealer.overhead(), 3);
        byte[] buf = plain.clone();

        int sealedLength = sealer.seal(NONCE_ID, COUNTER, buf, OFFSET, 0, 100);

        assertEquals(100 + sealer.overhead(), sealedLength);
        assertEquals(100, sealer.open(NONCE_ID, COUNTER, buf, OFFSET, 0, sealedLength));
        assertRangeEquals(plain, buf, 0, OFFSET + 100, "payload");
    }

    @Test
    void differentNoncesGiveDifferentCiphertexts() {
        byte[] first = plainPacket(64, 4);
        byte[] second = first.clone();

        int sealedLength = sealer.seal(NONCE_ID, COUNTER, first, OFFSET, HEADER_LENGTH, 64);
        sealer.seal(NONCE_ID, COUNTER + 1, second, OFFSET, HEADER_LENGTH, 64);

        if (sealer.insecureCleartext()) {
            assertFalse(Arrays.equals(first, second), "tags of different nonces are equal");
        } else {
            int from = OFFSET + HEADER_LENGTH;
            assertFalse(Arrays.equals(first, from, from + 64, second, from, from + 64),
                    "ciphertexts of different nonces are equal");
        }
        assertEquals(64, sealer.open(NONCE_ID, COUNTER + 1, second, OFFSET, HEADER_LENGTH, sealedLength - HEADER_LENGTH));
    }

    @Test
    void everySingleBitFlipOfHeaderCiphertextOrTagIsRejected() {
        int payloadLength = 64;
        byte[] sealed = plainPacket(payloadLength, 5);
        int sealedLength = sealer.seal(NONCE_ID, COUNTER, sealed, OFFSET, HEADER_LENGTH, payloadLength);
        int sealedPayloadLength = sealedLength - HEADER_LENGTH;

        int accepted = 0;
        for (int i = OFFSET; i < OFFSET + sealedLength; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= (byte) (1 << bit);
                if (sealer.open(NONCE_ID, COUNTER, tampered, OFFSET, HEADER_LENGTH, sealedPayloadLength) != -1) {
                    accepted++;
                }
            }
        }

        assertEquals(0, accepted, "bit flips accepted");
        assertEquals(payloadLength, sealer.open(NONCE_ID, COUNTER, sealed, OFFSET, HEADER_LENGTH, sealedPayloadLength),
                "the untouched packet still opens");
    }

    @Test
    void wrongKeyIsRejected() {
        byte[] buf = plainPacket(100, 6);
        int sealedLength = sealer.seal(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, 100);
        byte[] otherKey = key.clone();
        otherKey[31] ^= 1;

        int opened = newSealer(otherKey).open(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, sealedLength - HEADER_LENGTH);

        assertEquals(-1, opened);
    }

    @Test
    void wrongNonceIdIsRejected() {
        byte[] sealed = plainPacket(100, 7);
        int sealedPayloadLength = sealer.seal(NONCE_ID, COUNTER, sealed, OFFSET, HEADER_LENGTH, 100) - HEADER_LENGTH;

        assertEquals(-1, sealer.open(NONCE_ID + 1, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH, sealedPayloadLength));
        assertEquals(-1, sealer.open(NONCE_ID ^ Integer.MIN_VALUE, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH,
                sealedPayloadLength));
        assertEquals(-1, sealer.open(0, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH, sealedPayloadLength));
    }

    @Test
    void wrongCounterIsRejected() {
        byte[] sealed = plainPacket(100, 8);
        int sealedPayloadLength = sealer.seal(NONCE_ID, COUNTER, sealed, OFFSET, HEADER_LENGTH, 100) - HEADER_LENGTH;

        assertEquals(-1, sealer.open(NONCE_ID, COUNTER + 1, sealed.clone(), OFFSET, HEADER_LENGTH, sealedPayloadLength));
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER ^ Long.MIN_VALUE, sealed.clone(), OFFSET, HEADER_LENGTH,
                sealedPayloadLength));
        assertEquals(-1, sealer.open(NONCE_ID, 0L, sealed.clone(), OFFSET, HEADER_LENGTH, sealedPayloadLength));
    }

    @Test
    void truncatedPacketsAreRejected() {
        byte[] sealed = plainPacket(100, 9);
        int sealedPayloadLength = sealer.seal(NONCE_ID, COUNTER, sealed, OFFSET, HEADER_LENGTH, 100) - HEADER_LENGTH;

        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH, sealedPayloadLength - 1),
                "one byte short");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH, CipherSuite.TAG_LENGTH - 1),
                "shorter than a tag");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH, 0), "empty");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, sealed.clone(), OFFSET, HEADER_LENGTH - 1, sealedPayloadLength + 1),
                "header boundary moved");
        assertEquals(100, sealer.open(NONCE_ID, COUNTER, sealed, OFFSET, HEADER_LENGTH, sealedPayloadLength),
                "the whole packet still opens");
    }

    @Test
    void outOfRangeLengthsAreRejectedWithoutThrowing() {
        byte[] buf = plainPacket(100, 10);
        int sealedPayloadLength = sealer.seal(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, 100) - HEADER_LENGTH;
        int room = buf.length - OFFSET - HEADER_LENGTH;

        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, -1, HEADER_LENGTH, sealedPayloadLength), "negative offset");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, OFFSET, -1, sealedPayloadLength), "negative header");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, -1), "negative length");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, OFFSET, HEADER_LENGTH, room + 1), "past the array");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, buf.length, 0, CipherSuite.TAG_LENGTH), "offset at the end");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE),
                "overflowing sum");
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, buf, OFFSET, Integer.MAX_VALUE, sealedPayloadLength),
                "huge header");
    }

    @Test
    void aFailedOpenDoesNotDisturbTheNextOne() {
        byte[] good = plainPacket(200, 11);
        int sealedPayloadLength = sealer.seal(NONCE_ID, COUNTER, good, OFFSET, HEADER_LENGTH, 200) - HEADER_LENGTH;
        byte[] bad = good.clone();
        bad[OFFSET + HEADER_LENGTH + 3] ^= 0x10;

        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, bad, OFFSET, HEADER_LENGTH, sealedPayloadLength));
        assertEquals(-1, sealer.open(NONCE_ID, COUNTER, good.clone(), OFFSET, HEADER_LENGTH, 3));
        assertEquals(200, sealer.open(NONCE_ID, COUNTER, good, OFFSET, HEADER_LENGTH, sealedPayloadLength));
    }

    @Test
    void theSamePacketOpensTwiceInARow() {
        // Duplicates are the replay window's business; the sealer must judge each copy by its tag.
        byte[] plain = plainPacket(300, 12);
        byte[] first = plain.clone();
        int sealedPayloadLength = sealer.seal(NONCE_ID, COUNTER, first, OFFSET, HEADER_LENGTH, 300) - HEADER_LENGTH;
        byte[] second = first.clone();

        assertEquals(300, sealer.open(NONCE_ID, COUNTER, first, OFFSET, HEADER_LENGTH, sealedPayloadLength));
        assertEquals(300, sealer.open(NONCE_ID, COUNTER, second, OFFSET, HEADER_LENGTH, sealedPayloadLength));
        assertRangeEquals(plain, second, 0, OFFSET + HEADER_LENGTH + 300, "second copy");
    }

    @Test
    void twoInstancesWithTheSameKeyInteroperate() {
        PacketSealer other = newSealer(key.clone());
        for (int i = 0; i < 50; i++) {
            PacketSealer from = (i & 1) == 0 ? sealer : other;
            PacketSealer to = (i & 1) == 0 ? other : sealer;
            int payloadLength = 100 + i * 17;
            byte[] plain = plainPacket(payloadLength, 100 + i);
            byte[] buf = plain.clone();

            int sealedLength = from.seal(NONCE_ID, COUNTER + i, buf, OFFSET, HEADER_LENGTH, payloadLength);
            int opened = to.open(NONCE_ID, COUNTER + i, buf, OFFSET, HEADER_LENGTH, sealedLength - HEADER_LENGTH);

            assertEquals(payloadLength, opened, "packet " + i);
            assertRangeEquals(plain, buf, 0, OFFSET + HEADER_LENGTH + payloadLength, "packet " + i);
        }
    }

    @Test
    void sealerDescribesItsSuiteAndOverhead() {
        assertNotNull(sealer.suite());
        assertTrue(sealer.overhead() >= CipherSuite.TAG_LENGTH, "overhead " + sealer.overhead() + " < tag length");
    }

    /** {@code [guard][header][payload][room for the overhead][guard]} filled with seeded bytes. */
    private byte[] plainPacket(int payloadLength, int seed) {
        return bytes(OFFSET + HEADER_LENGTH + payloadLength + sealer.overhead() + GUARD_LENGTH, seed);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static void assertRangeEquals(byte[] expected, byte[] actual, int from, int to, String what) {
        assertArrayEquals(Arrays.copyOfRange(expected, from, to), Arrays.copyOfRange(actual, from, to), what);
    }
}
