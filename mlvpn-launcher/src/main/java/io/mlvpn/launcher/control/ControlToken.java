package io.mlvpn.launcher.control;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token that allows actions over HTTP ({@code control.token}). Compared in constant
 * time and never printed. Instances are immutable.
 */
public final class ControlToken {
    /** Shortest accepted token, in characters. */
    public static final int MIN_LENGTH = 16;
    /** Longest accepted token, in characters. */
    public static final int MAX_LENGTH = 256;

    private final byte[] bytes;

    private ControlToken(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A token from its text: 16 to 256 visible ASCII characters (no spaces).
     *
     * @param key the configuration key, for the error
     * @throws ConfigException naming {@code key} when the text is too short, too long or holds
     *     other characters; the message never quotes the text
     */
    public static ControlToken of(String key, String text) throws ConfigException {
        if (text.length() < MIN_LENGTH || text.length() > MAX_LENGTH) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "a token has " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters (generate one with: head -c 32 /dev/urandom | base64)");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new ConfigException(key, Reason.INVALID_VALUE, "a token holds visible ASCII characters only"
                        + " (offset " + i + ")");
            }
        }
        return new ControlToken(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code presented} is this token, in time independent of where they differ. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(bytes, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlToken && MessageDigest.isEqual(bytes, ((ControlToken) o).bytes);
    }

    @Override
    public int hashCode() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "ControlToken[redacted]";
    }
}
