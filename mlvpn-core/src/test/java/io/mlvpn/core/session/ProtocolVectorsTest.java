package io.mlvpn.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlvpn.api.config.PreSharedKey;
import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.core.session.HandshakeInitiator.Outcome;
import io.mlvpn.core.session.HandshakeResponder.Reply;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.core.wire.ReceiveReport;
import io.mlvpn.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/protocol.md, section 9. The handshake goes through the engine's own
 * {@link HandshakeInitiator} and {@link HandshakeResponder} (only the ephemeral private keys are
 * fixed); the sealed packets use the raw JDK AES-GCM as the document describes. Every value is
 * also recomputed here with the JDK alone (X25519 {@link KeyAgreement}, HKDF written out over
 * {@link Mac}), so the vectors do not merely restate our own code.
 */
class ProtocolVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static final String PSK = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String CLIENT_PRIVATE = "11".repeat(32);
    static final String SERVER_PRIVATE = "22".repeat(32);
    static final long TIMESTAMP_MICROS = 1_700_000_000_000_000L;
    static final int SESSION_ID = 0x1234;
    /** IPv4 header: length 20, TTL 64, protocol 1, checksum 0, 127.0.0.1 to 127.0.0.1. */
    static final String DATA_PAYLOAD = "4500001400000000400100007f0000017f000001";

    static final String HANDSHAKE_KEY = "52c4a486244bb82b3e617cd8546e1b7d3bd835b533ed8142c63340ed7be8ad14";
    static final String CLIENT_PUBLIC = "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13";
    static final String SERVER_PUBLIC = "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20";
    static final String SHARED_SECRET = "9e004098efc091d4ec2663b4e9f5cfd4d7064571690b4bea97ab146ab9f35056";
    /** Header | version | client public key | timestamp, cipher, flags | mac1 | mac2 (none: zeros). */
    static final String INIT = "21001234000000000102ffff00000000"
            + "02"
            + "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13"
            + "00060a24181e40000102"
            + "31dabcd5a76eba37568c28fb0dc5df83"
            + "00000000000000000000000000000000";
    /** Header | server public key | cipher, flags | HMAC over header, payload and the INIT's offer. */
    static final String RESPONSE = "22001234000000000203010200000000"
            + "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20"
            + "0101"
            + "9d13200b7d5578b9161d1b8d3be5535d";
    /** A server whose last accepted offer is stamped one second later refuses the INIT as stale. */
    static final long SERVER_LAST_MICROS = TIMESTAMP_MICROS + 1_000_000L;
    /** Header | reason 2, cipher, the server's last timestamp | HMAC over header, payload and the offer. */
    static final String REJECT_STALE = "23001234000000000203010200000000"
            + "020100060a24182d8240"
            + "38b591410ae46f3d014014f80e036bd6";
    static final String COOKIE_KEY = "0ba06e2ae92f0b30eabc4163f5992a4ecbe6be8623be620020ccb5fad6f9a5e0";
    /** The server's cookie secret (drawn at random; fixed here) and a client's address and port. */
    static final String COOKIE_SECRET = "33".repeat(32);
    static final String COOKIE_SOURCE = "c0000201" + "ca6c";
    static final String COOKIE = "aea8d92b8c97890e2e451ad23bf4210e";
    /** The INIT's mac2 with that cookie: HMAC-SHA256(cookie, INIT[0..75))[0..16). */
    static final String MAC2 = "89e633796781d0a78f898d643a40aeab";
    /** The cookie's nonce: 4 random bytes (fixed here) and a counter, 0. */
    static final String COOKIE_NONCE = "a5a5a5a5" + "0000000000000000";
    /** Header | nonce | cookie sealed under the cookie key, header and offer as associated data | tag. */
    static final String COOKIE_REPLY = "28001234000000000203010200000000"
            + "a5a5a5a50000000000000000"
            + "395149a41ad69f97be9f330726d08585"
            + "67b4db7722e94d7aa20f9592af6b3ff0";
    static final String CLIENT_TO_SERVER_KEY = "b3d1e255d4929326d2bcfab0fedad7f6219a78c5d27ff00fcca6dec689998a97";
    static final String SERVER_TO_CLIENT_KEY = "ac18621327e843f500614e1a903d3fbe0cfb25f78695d1dd743cf17a41060030";
    /** Header | ciphertext | GCM tag. */
    static final String DATA = "24011234000000070304ffff0000002a"
            + "100bdfe41695837809721a3764aa6952b3884535"
            + "77adcb1f04d8efc77a33b0dbca7e4ce9";
    /** Header | ciphertext of the receive report | GCM tag. */
    static final String KEEPALIVE = "25001234000000010305030400000000"
            + "c77882eb59435a8bad8615281f4c2d97"
            + "22fee54c70a4cd88ee1d145ae05e728d";

    private final Vectors v = Vectors.compute();

    @Test
    void engineHandshakeGivesTheDocumentedBytes() {
        print(v);
        assertEquals(HANDSHAKE_KEY, HEX.formatHex(v.handshakeKey));
        assertEquals(INIT, HEX.formatHex(v.init));
        assertEquals(RESPONSE, HEX.formatHex(v.response));
        assertEquals(CLIENT_PUBLIC, HEX.formatHex(Arrays.copyOfRange(v.init, 17, 49)));
        assertEquals(SERVER_PUBLIC, HEX.formatHex(Arrays.copyOfRange(v.response, 16, 48)));
        assertEquals(CLIENT_TO_SERVER_KEY, HEX.formatHex(v.clientToServer));
        assertEquals(SERVER_TO_CLIENT_KEY, HEX.formatHex(v.serverToClient));
        assertEquals(REJECT_STALE, HEX.formatHex(v.rejectStale));
        assertEquals(COOKIE_KEY, HEX.formatHex(v.cookieKey));
        assertEquals(COOKIE, HEX.formatHex(v.cookie));
        assertEquals(MAC2, HEX.formatHex(v.mac2));
        assertEquals(COOKIE_REPLY, HEX.formatHex(v.cookieReply));
    }

    @Test
    void sealedPacketsAreTheDocumentedBytes() {
        assertEquals(DATA, HEX.formatHex(v.data));
        assertEquals(KEEPALIVE, HEX.formatHex(v.keepalive));
        assertEquals(16 + 20 + 16, v.data.length);
        assertEquals(Header.OVERHEAD + ReceiveReport.LENGTH, v.keepalive.length);
    }

    @Test
    void theJdkAloneReproducesTheHandshake() {
        byte[] psk = hex(PSK);
        assertEquals(HANDSHAKE_KEY, HEX.formatHex(jdkHkdf(psk, new byte[0], ascii("mlvpn2 handshake"), 32)));

        byte[] basePoint = new byte[32];
        basePoint[0] = 9;
        byte[] clientPublic = jdkX25519(hex(CLIENT_PRIVATE), basePoint);
        byte[] serverPublic = jdkX25519(hex(SERVER_PRIVATE), basePoint);
        assertEquals(CLIENT_PUBLIC, HEX.formatHex(clientPublic));
        assertEquals(SERVER_PUBLIC, HEX.formatHex(serverPublic));
        byte[] shared = jdkX25519(hex(CLIENT_PRIVATE), serverPublic);
        assertArrayEquals(shared, jdkX25519(hex(SERVER_PRIVATE), clientPublic));
        assertEquals(SHARED_SECRET, HEX.formatHex(shared));

        // Section 2 header, section 5 payload, section 4 truncated HMAC, all spelled out.
        ByteArrayOutputStream init = new ByteArrayOutputStream();
        init.writeBytes(hex("21" + "00" + "1234" + "00000000" + "0102" + "ffff" + "00000000"));
        init.writeBytes(hex("02"));
        init.writeBytes(clientPublic);
        init.writeBytes(hex(String.format("%016x", TIMESTAMP_MICROS) + "01" + "02"));
        byte[] offer = Arrays.copyOfRange(init.toByteArray(), 16, 59);
        init.writeBytes(jdkTruncatedHmac(init.toByteArray()));
        init.writeBytes(new byte[16]);
        assertEquals(INIT, HEX.formatHex(init.toByteArray()));

        // The answer's MAC covers the offer it answers, which is not sent again.
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        response.writeBytes(hex("22" + "00" + "1234" + "00000000" + "0203" + "0102" + "00000000"));
        response.writeBytes(serverPublic);
        response.writeBytes(hex("01" + "01"));
        response.writeBytes(jdkTruncatedHmac(concat(response.toByteArray(), offer)));
        assertEquals(RESPONSE, HEX.formatHex(response.toByteArray()));

        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(ascii("mlvpn2 session"));
        info.writeBytes(clientPublic);
        info.writeBytes(serverPublic);
        info.writeBytes(hex("1234" + "01"));
        byte[] okm = jdkHkdf(shared, psk, info.toByteArray(), 64);
        assertEquals(CLIENT_TO_SERVER_KEY, HEX.formatHex(okm, 0, 32));
        assertEquals(SERVER_TO_CLIENT_KEY, HEX.formatHex(okm, 32, 64));
    }

    @Test
    void theJdkAloneReproducesTheStaleRejectAndTheCookie() throws Exception {
        byte[] init = hex(INIT);
        byte[] offer = Arrays.copyOfRange(init, 16, 59);
        ByteArrayOutputStream reject = new ByteArrayOutputStream();
        reject.writeBytes(hex("23" + "00" + "1234" + "00000000" + "0203" + "0102" + "00000000"));
        reject.writeBytes(hex("02" + "01" + String.format("%016x", SERVER_LAST_MICROS)));
        reject.writeBytes(jdkTruncatedHmac(concat(reject.toByteArray(), offer)));
        assertEquals(REJECT_STALE, HEX.formatHex(reject.toByteArray()));

        byte[] cookieKey = jdkHkdf(hex(PSK), new byte[0], ascii("mlvpn2 cookie"), 32);
        assertEquals(COOKIE_KEY, HEX.formatHex(cookieKey));
        byte[] cookie = Arrays.copyOf(jdkHmac(hex(COOKIE_SECRET), hex(COOKIE_SOURCE)), 16);
        assertEquals(COOKIE, HEX.formatHex(cookie));
        assertEquals(MAC2, HEX.formatHex(Arrays.copyOf(jdkHmac(cookie, Arrays.copyOf(init, 75)), 16)));

        byte[] header = hex("28" + "00" + "1234" + "00000000" + "0203" + "0102" + "00000000");
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cookieKey, "AES"), new GCMParameterSpec(128,
                hex(COOKIE_NONCE)));
        gcm.updateAAD(header);
        gcm.updateAAD(offer);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        reply.writeBytes(header);
        reply.writeBytes(hex(COOKIE_NONCE));
        reply.writeBytes(gcm.doFinal(cookie));
        assertEquals(COOKIE_REPLY, HEX.formatHex(reply.toByteArray()));
    }

    @Test
    void sealedPacketsOpenWithTheDocumentedKeysAndNonces() throws Exception {
        byte[] data = hex(DATA);
        assertEquals("24011234000000070304ffff0000002a", HEX.formatHex(data, 0, 16));
        assertEquals(DATA_PAYLOAD, HEX.formatHex(jdkOpen(hex(CLIENT_TO_SERVER_KEY),
                hex("00000001" + "0000000000000007"), data)));

        byte[] keepalive = hex(KEEPALIVE);
        assertEquals("25001234000000010305030400000000", HEX.formatHex(keepalive, 0, 16));
        byte[] report = jdkOpen(hex(SERVER_TO_CLIENT_KEY), hex("00000000" + "0000000000000001"), keepalive);
        assertEquals(6, ReceiveReport.highestSequenceLow(report, 0));
        assertEquals(7, ReceiveReport.packetsReceivedLow(report, 0));
        assertEquals(1000, ReceiveReport.bytesReceived(report, 0));
    }

    private static void print(Vectors v) {
        System.out.println("== docs/protocol.md section 9 ==");
        System.out.println("handshake key      " + HEX.formatHex(v.handshakeKey));
        System.out.println("INIT               " + HEX.formatHex(v.init));
        System.out.println("RESPONSE           " + HEX.formatHex(v.response));
        System.out.println("clientToServerKey  " + HEX.formatHex(v.clientToServer));
        System.out.println("serverToClientKey  " + HEX.formatHex(v.serverToClient));
        System.out.println("DATA               " + HEX.formatHex(v.data));
        System.out.println("KEEPALIVE          " + HEX.formatHex(v.keepalive));
        System.out.println("REJECT (stale)     " + HEX.formatHex(v.rejectStale));
        System.out.println("cookie key         " + HEX.formatHex(v.cookieKey));
        System.out.println("cookie             " + HEX.formatHex(v.cookie));
        System.out.println("mac2               " + HEX.formatHex(v.mac2));
        System.out.println("COOKIE             " + HEX.formatHex(v.cookieReply));
    }

    private static byte[] jdkTruncatedHmac(byte[] signed) {
        return Arrays.copyOf(jdkHmac(jdkHkdf(hex(PSK), new byte[0], ascii("mlvpn2 handshake"), 32), signed), 16);
    }

    private static byte[] jdkHmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A "random" source that gives one byte over and over: the vectors fix what is drawn at random. */
    static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte fill;

        FixedRandom(int fill) {
            this.fill = (byte) fill;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, fill);
        }
    }

    private static byte[] jdkOpen(byte[] key, byte[] nonce, byte[] packet) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(packet, 0, 16);
        return gcm.doFinal(packet, 16, packet.length - 16);
    }

    /** What the engine's own handshake code produces for the fixed inputs. */
    static final class Vectors {
        byte[] handshakeKey;
        byte[] init;
        byte[] response;
        byte[] clientToServer;
        byte[] serverToClient;
        byte[] data;
        byte[] keepalive;
        byte[] rejectStale;
        byte[] cookieKey;
        byte[] cookie;
        byte[] mac2;
        byte[] cookieReply;

        static Vectors compute() {
            Vectors v = new Vectors();
            ManualClock clock = new ManualClock();
            HandshakeKey key = HandshakeKey.derive(PreSharedKey.of(hex(PSK)));
            v.handshakeKey = key.handshakeKeyBytes();
            HandshakeInitiator client = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, clock,
                    () -> hex(CLIENT_PRIVATE));
            HandshakeResponder server = new HandshakeResponder(key, CipherSuite.AES_256_GCM, clock,
                    new HandshakeRateLimiter(clock), () -> hex(SERVER_PRIVATE));
            client.begin(SESSION_ID, false, TIMESTAMP_MICROS);
            v.init = new byte[HandshakeInitiator.INIT_LENGTH];
            client.writeInit(v.init, 0, 0, 0, 0x0102, Header.NO_ECHO);
            v.response = new byte[HandshakeResponder.RESPONSE_LENGTH];
            InetSocketAddress source = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);
            Reply reply = server.respond(v.init, 0, v.init.length, source, v.response, 0, 0, 0, 0x0203, 0x0102);
            assertEquals(Reply.Status.ACCEPTED, reply.status());
            Outcome outcome = client.complete(v.response, 0, v.response.length, 0);
            assertEquals(Outcome.Status.ESTABLISHED, outcome.status(), outcome.reason());
            SessionKeys c = outcome.keys();
            SessionKeys s = reply.keys();
            assertArrayEquals(c.sendKey(), s.receiveKey());
            assertArrayEquals(c.receiveKey(), s.sendKey());
            v.clientToServer = c.sendKey();
            v.serverToClient = c.receiveKey();

            byte[] dataHeader = new byte[Header.LENGTH];
            Header.write(dataHeader, 0, PacketType.DATA, 1, SESSION_ID, 7, 0x0304, Header.NO_ECHO, 42);
            v.data = jdkSeal(v.clientToServer, 1, 7, dataHeader, hex(DATA_PAYLOAD));

            byte[] keepaliveHeader = new byte[Header.LENGTH];
            Header.write(keepaliveHeader, 0, PacketType.KEEPALIVE, 0, SESSION_ID, 1, 0x0305, 0x0304, 0);
            byte[] report = new byte[ReceiveReport.LENGTH];
            ReceiveReport.write(report, 0, 6, 7, 1000);
            v.keepalive = jdkSeal(v.serverToClient, 0, 1, keepaliveHeader, report);

            // A server that has accepted a later offer, stamped SERVER_LAST_MICROS, gets the INIT.
            HandshakeResponder later = new HandshakeResponder(key, CipherSuite.AES_256_GCM, clock,
                    new HandshakeRateLimiter(clock), () -> hex(SERVER_PRIVATE));
            HandshakeInitiator other = new HandshakeInitiator(key, CipherSuite.AES_256_GCM, clock,
                    () -> hex("44".repeat(32)));
            other.begin(0x4321, false, SERVER_LAST_MICROS);
            byte[] otherInit = new byte[HandshakeInitiator.INIT_LENGTH];
            other.writeInit(otherInit, 0, 0, 0, 0, Header.NO_ECHO);
            assertEquals(Reply.Status.ACCEPTED, later.respond(otherInit, 0, otherInit.length, source,
                    new byte[128], 0, 0, 0, 0, 0).status());
            byte[] answer = new byte[128];
            Reply stale = later.respond(v.init, 0, v.init.length, source, answer, 0, 0, 0, 0x0203, 0x0102);
            assertEquals(Reply.Status.REJECTED_STALE, stale.status());
            v.rejectStale = Arrays.copyOf(answer, stale.length());

            v.cookieKey = key.cookieKeyBytes();
            CookieChecker checker = new CookieChecker(clock, new FixedRandom(0x33));
            v.cookie = checker.cookieFor(new InetSocketAddress(address(hex(COOKIE_SOURCE)), 0xca6c)).clone();
            v.mac2 = new byte[16];
            Mac2.compute(v.cookie, v.init, 0, v.mac2);
            v.cookieReply = new byte[HandshakeResponder.COOKIE_REPLY_LENGTH];
            Header.write(v.cookieReply, 0, PacketType.HANDSHAKE_COOKIE, 0, SESSION_ID, 0, 0x0203, 0x0102, 0);
            key.newCookieReplyCipher().seal(v.cookieReply, 0, v.cookie, v.init, Header.LENGTH, new FixedRandom(0xa5));
            return v;
        }
    }

    static byte[] jdkSeal(byte[] key, int linkId, long seq, byte[] header, byte[] plaintext) {
        try {
            byte[] nonce = new byte[12];
            nonce[3] = (byte) linkId;
            Header.putLong(nonce, 4, seq);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(header);
            packet.writeBytes(gcm.doFinal(plaintext));
            return packet.toByteArray();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** X25519 with the JDK's own implementation (RFC 7748 little-endian u-coordinates). */
    static byte[] jdkX25519(byte[] privateKey, byte[] peerPublic) {
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = peerPublic[31 - i];
            }
            be[0] &= 0x7F;
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            return ka.generateSecret();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** RFC 5869 HKDF-SHA256 written out over the JDK Mac. */
    static byte[] jdkHkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            ByteArrayOutputStream okm = new ByteArrayOutputStream();
            byte[] t = new byte[0];
            for (int i = 1; okm.size() < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                okm.writeBytes(t);
            }
            return Arrays.copyOf(okm.toByteArray(), length);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress address(byte[] ipAndPort) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(ipAndPort, 4));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }
}
