package io.mlvpn.api.crypto;

import java.util.Locale;

/**
 * The AEAD used for every packet of a session. Both ends must configure the same one; the
 * handshake refuses a mismatch. Each constant carries its wire identifier.
 */
public enum CipherSuite {
    /** AES-256 in GCM mode, 16-byte tag, 12-byte nonce. The default: fastest with AES instructions. */
    AES_256_GCM(1, "aes-256-gcm"),
    /** ChaCha20-Poly1305 (RFC 8439), 16-byte tag, 12-byte nonce: for CPUs without AES instructions. */
    CHACHA20_POLY1305(2, "chacha20-poly1305");

    /** Authentication tag bytes appended to every sealed packet, for both suites. */
    public static final int TAG_LENGTH = 16;

    private final int wireId;
    private final String configName;

    CipherSuite(int wireId, String configName) {
        this.wireId = wireId;
        this.configName = configName;
    }

    /** Identifier carried in the handshake. */
    public int wireId() {
        return wireId;
    }

    /** Name used in configuration files. */
    public String configName() {
        return configName;
    }

    /** The suite with that wire identifier, or {@code null}. */
    public static CipherSuite fromWireId(int id) {
        for (CipherSuite s : values()) {
            if (s.wireId == id) {
                return s;
            }
        }
        return null;
    }

    /**
     * The suite with that configuration name (case-insensitive).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static CipherSuite fromConfigName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (CipherSuite s : values()) {
            if (s.configName.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown cipher \"" + name + "\" (known: aes-256-gcm, chacha20-poly1305)");
    }
}
