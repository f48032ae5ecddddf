package io.mlvpn.api.config;

/**
 * A configuration value is missing or wrong. Carries the configuration key (as written in a
 * properties file: {@code link.dsl1.bandwidth}), the reason, and the offending text; the message
 * reads {@code link.dsl1.bandwidth: not a rate: "fast"}. Never carries a secret.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a value was refused. */
    public enum Reason {
        /** A required key is absent. */
        MISSING,
        /** The key is not one this version knows. */
        UNKNOWN_KEY,
        /** A number or rate could not be parsed. */
        INVALID_NUMBER,
        /** A number is outside its allowed range. */
        OUT_OF_RANGE,
        /** A value is not one of the allowed words or forms. */
        INVALID_VALUE,
        /** Two values contradict each other or a name is used twice. */
        CONFLICT,
        /** A file holding a secret can be read by group or others. */
        INSECURE_PERMISSIONS,
        /** A file cannot be read or has the wrong content. */
        UNREADABLE
    }

    private final String key;
    private final Reason reason;
    private final String value;

    /**
     * @param key the configuration key
     * @param reason why
     * @param detail what is wrong, in a few words
     * @param value the offending text, or {@code null} when it must not be shown or is absent
     */
    public ConfigException(String key, Reason reason, String detail, String value) {
        super(key + ": " + detail + (value == null ? "" : ": \"" + value + "\""));
        this.key = key;
        this.reason = reason;
        this.value = value;
    }

    /** Like the four-argument constructor, without an offending text. */
    public ConfigException(String key, Reason reason, String detail) {
        this(key, reason, detail, null);
    }

    /** The configuration key. */
    public String key() {
        return key;
    }

    /** Why the value was refused. */
    public Reason reason() {
        return reason;
    }

    /** The offending text, or {@code null}. */
    public String value() {
        return value;
    }
}
