package io.mlvpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Published test vectors, sealed and opened through {@link Sealers} with the 12-byte nonce split
 * into {@code nonceId} (first 4 bytes) and {@code counter} (last 8 bytes), both big-endian.
 */
class SealerKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int OFFSET = 3;

    /** McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B, test case 16. */
    @Test
    void aes256GcmMatchesGcmSpecTestCase16() {
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        // IV cafebabe facedbaddecaf888
        int nonceId = 0xcafebabe;
        long counter = 0xfacedbaddecaf888L;
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plaintext = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] ciphertext = HEX.parseHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
        byte[] tag = HEX.parseHex("76fc6ece0f4e1768cddf8853bb2d551b");

        assertVector(CipherSuite.AES_256_GCM, key, nonceId, counter, aad, plaintext, ciphertext, tag);
    }

    /** RFC 8439 section 2.8.2, the AEAD_CHACHA20_POLY1305 example. */
    @Test
    void chaCha20Poly1305MatchesRfc8439Section282() {
        byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        // Nonce 07000000 4041424344454647
        int nonceId = 0x07000000;
        long counter = 0x4041424344454647L;
        byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the"
                + " future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] ciphertext = HEX.parseHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116");
        byte[] tag = HEX.parseHex("1ae10b594f09e26a7e902ecbd0600691");

        assertEquals(114, plaintext.length);
        assertVector(CipherSuite.CHACHA20_POLY1305, key, nonceId, counter, aad, plaintext, ciphertext, tag);
    }

    private static void assertVector(CipherSuite suite, byte[] key, int nonceId, long counter, byte[] aad,
            byte[] plaintext, byte[] ciphertext, byte[] tag) {
        PacketSealer sealer = Sealers.create(suite, key);
        byte[] buf = new byte[OFFSET + aad.length + plaintext.length + tag.length];
        System.arraycopy(aad, 0, buf, OFFSET, aad.length);
        System.arraycopy(plaintext, 0, buf, OFFSET + aad.length, plaintext.length);
        int payloadOffset = OFFSET + aad.length;

        int sealedLength = sealer.seal(nonceId, counter, buf, OFFSET, aad.length, plaintext.length);

        assertEquals(aad.length + plaintext.length + tag.length, sealedLength);
        assertArrayEquals(ciphertext, Arrays.copyOfRange(buf, payloadOffset, payloadOffset + plaintext.length),
                "ciphertext");
        assertArrayEquals(tag, Arrays.copyOfRange(buf, payloadOffset + plaintext.length, buf.length), "tag");

        // Open with a fresh instance, so the published bytes alone (not the sealer's state) decide.
        int opened = Sealers.create(suite, key).open(nonceId, counter, buf, OFFSET, aad.length,
                plaintext.length + tag.length);

        assertEquals(plaintext.length, opened);
        assertArrayEquals(plaintext, Arrays.copyOfRange(buf, payloadOffset, payloadOffset + plaintext.length),
                "plaintext");
    }
}
