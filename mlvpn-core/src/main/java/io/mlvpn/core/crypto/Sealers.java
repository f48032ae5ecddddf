package io.mlvpn.core.crypto;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Creates the {@link PacketSealer} of each {@link CipherSuite} on the JDK's own ciphers, and tells
 * which suites this JDK offers.
 *
 * <p>Availability is probed once per JVM, the first time it is asked, by sealing and opening a
 * packet. Safe for concurrent use; the sealers it creates are not (one per thread and direction
 * pair, as {@code PacketSealer} says).
 */
public final class Sealers {

    /** Key bytes every suite takes. */
    public static final int KEY_LENGTH = JdkAeadSealer.KEY_LENGTH;

    private Sealers() {
    }

    /**
     * A new sealer for {@code suite} under {@code key}.
     *
     * @param key {@value #KEY_LENGTH} bytes; copied, so the caller may wipe its array afterwards
     * @throws IllegalArgumentException when the key is not {@value #KEY_LENGTH} bytes long
     * @throws IllegalStateException when this JDK does not offer the suite (see
     *     {@link #isAvailable})
     */
    public static PacketSealer create(CipherSuite suite, byte[] key) {
        Objects.requireNonNull(suite, "suite");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("key length != " + KEY_LENGTH + ": " + key.length);
        }
        try {
            return switch (suite) {
                case AES_256_GCM -> new AesGcmSealer(key);
                case CHACHA20_POLY1305 -> new ChaCha20Poly1305Sealer(key);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(suite.configName() + " is not available in this JDK: " + e, e);
        }
    }

    /** True when this JDK seals and opens with {@code suite}. */
    public static boolean isAvailable(CipherSuite suite) {
        return unavailabilityCause(suite) == null;
    }

    /**
     * Why {@code suite} is unavailable, for messages and test skips.
     *
     * @return the failure of the availability probe, or {@code null} when the suite is available
     */
    public static Throwable unavailabilityCause(CipherSuite suite) {
        return Probe.CAUSES.get(Objects.requireNonNull(suite, "suite"));
    }

    /** Runs the availability probe once, when first needed (class initialisation is thread-safe). */
    private static final class Probe {
        static final Map<CipherSuite, Throwable> CAUSES = probeAll();

        private static Map<CipherSuite, Throwable> probeAll() {
            Map<CipherSuite, Throwable> causes = new EnumMap<>(CipherSuite.class);
            for (CipherSuite suite : CipherSuite.values()) {
                Throwable cause = probe(suite);
                if (cause != null) {
                    causes.put(suite, cause);
                }
            }
            return causes;
        }

        private static Throwable probe(CipherSuite suite) {
            try {
                PacketSealer sealer = create(suite, new byte[KEY_LENGTH]);
                int headerLength = 4;
                int payloadLength = 32;
                byte[] plain = new byte[headerLength + payloadLength];
                Arrays.fill(plain, (byte) 0x5a);
                byte[] buf = Arrays.copyOf(plain, plain.length + sealer.overhead());
                int sealed = sealer.seal(0, 0L, buf, 0, headerLength, payloadLength);
                int opened = sealer.open(0, 0L, buf, 0, headerLength, sealed - headerLength);
                if (opened != payloadLength || !Arrays.equals(plain, 0, plain.length, buf, 0, plain.length)) {
                    return new IllegalStateException(suite.configName() + " failed its seal/open round trip");
                }
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }
    }
}
