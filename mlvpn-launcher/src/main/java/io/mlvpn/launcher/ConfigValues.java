package io.mlvpn.launcher;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the value forms of the properties file: whole numbers, durations, rates and sizes. Every error
 * names the key and quotes the text (none of these values is secret).
 */
final class ConfigValues {
    /** Largest rate accepted: 1 Tbit/s. */
    static final long MAX_BITS_PER_SECOND = 1_000_000_000_000L;
    /** Longest duration accepted before the key's own range check: one day. */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z/]*)");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");

    private static final Map<String, Long> DURATION_UNITS_MILLIS = Map.of(
            "", 1000L, "ms", 1L, "s", 1000L, "m", 60_000L, "min", 60_000L, "h", 3_600_000L);
    private static final Map<String, Long> RATE_UNITS_BITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("bit", 1L), Map.entry("bps", 1L), Map.entry("bit/s", 1L),
            Map.entry("kbit", 1_000L), Map.entry("kbps", 1_000L), Map.entry("kbit/s", 1_000L),
            Map.entry("mbit", 1_000_000L), Map.entry("mbps", 1_000_000L), Map.entry("mbit/s", 1_000_000L),
            Map.entry("gbit", 1_000_000_000L), Map.entry("gbps", 1_000_000_000L),
            Map.entry("gbit/s", 1_000_000_000L));
    private static final Map<String, Long> SIZE_UNITS_BYTES = Map.of(
            "", 1L, "k", 1L << 10, "kib", 1L << 10, "m", 1L << 20, "mib", 1L << 20);

    private ConfigValues() {
    }

    /**
     * A whole number within {@code min..max}.
     *
     * @throws ConfigException {@link Reason#INVALID_NUMBER} when not a whole number,
     *     {@link Reason#OUT_OF_RANGE} when outside the range
     */
    static int integer(String key, String text, int min, int max) throws ConfigException {
        if (!WHOLE.matcher(text).matches()) {
            throw new ConfigException(key, Reason.INVALID_NUMBER, "not a whole number", text);
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "outside " + min + ".." + max, text);
        }
        if (v < min || v > max) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "outside " + min + ".." + max, text);
        }
        return (int) v;
    }

    /**
     * A yes/no value: {@code true}, {@code false}, {@code yes}, {@code no}, {@code on}, {@code off},
     * {@code 1} or {@code 0}, case-insensitive.
     *
     * @throws ConfigException {@link Reason#INVALID_VALUE} for anything else
     */
    static boolean bool(String key, String text) throws ConfigException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new ConfigException(key, Reason.INVALID_VALUE, "one of true, false (yes, no, on, off, 1, 0)",
                        text);
        }
    }

    /**
     * A percentage from 0 to 100, with or without a trailing {@code %}.
     *
     * @throws ConfigException {@link Reason#INVALID_NUMBER} or {@link Reason#OUT_OF_RANGE}
     */
    static int percent(String key, String text) throws ConfigException {
        String t = text.endsWith("%") ? text.substring(0, text.length() - 1).trim() : text;
        return integer(key, t, 0, 100);
    }

    /**
     * A time in milliseconds written as a duration ({@code 300ms}, {@code 1s}; a bare number means
     * milliseconds here), or {@code off} / {@code 0} for none; at most 60 s.
     *
     * @throws ConfigException {@link Reason#INVALID_NUMBER} or {@link Reason#OUT_OF_RANGE}
     */
    static int millisOrOff(String key, String text) throws ConfigException {
        if (text.equalsIgnoreCase("off")) {
            return 0;
        }
        if (WHOLE.matcher(text).matches()) {
            return integer(key, text, 0, 60_000);
        }
        long millis = duration(key, text).toMillis();
        if (millis > 60_000) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "outside 0..60 s", text);
        }
        return (int) millis;
    }

    /**
     * A duration: a number and an optional unit ({@code ms}, {@code s}, {@code m} or {@code min},
     * {@code h}; none means seconds), case-insensitive, e.g. {@code 10}, {@code 10s},
     * {@code 1500ms}, {@code 1.5s}. It must be a whole number of milliseconds, at most one day.
     *
     * @throws ConfigException {@link Reason#INVALID_NUMBER} for any other form,
     *     {@link Reason#OUT_OF_RANGE} beyond one day
     */
    static Duration duration(String key, String text) throws ConfigException {
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        Long unit = m.matches() ? DURATION_UNITS_MILLIS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new ConfigException(key, Reason.INVALID_NUMBER,
                    "not a duration (a number with ms, s, m or h; seconds without a unit)", text);
        }
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new ConfigException(key, Reason.INVALID_NUMBER, "finer than a millisecond", text);
        }
        if (millis.compareTo(BigDecimal.valueOf(MAX_DURATION.toMillis())) > 0) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "longer than one day", text);
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    /**
     * A rate in bits per second: a number and an optional unit, case-insensitive: none,
     * {@code bit}, {@code bps}; {@code kbit}, {@code kbps}; {@code mbit}, {@code mbps};
     * {@code gbit}, {@code gbps} (each also as {@code …bit/s}). All are bits and decimal
     * (k = 1000), as in {@code tc}: {@code 800kbit}, {@code 1.5mbit}, {@code 50Mbps}.
     *
     * @throws ConfigException {@link Reason#INVALID_NUMBER} for any other form or a fraction of a
     *     bit; {@link Reason#OUT_OF_RANGE} for zero or more than 1 Tbit/s
     */
    static long bitsPerSecond(String key, String text) throws ConfigException {
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        Long unit = m.matches() ? RATE_UNITS_BITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new ConfigException(key, Reason.INVALID_NUMBER,
                    "not a rate (a number with kbit, mbit or gbit; bits/s without a unit)", text);
        }
        BigDecimal bits = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bits.stripTrailingZeros().scale() > 0) {
            throw new ConfigException(key, Reason.INVALID_NUMBER, "a fraction of a bit per second", text);
        }
        if (bits.signum() == 0) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "a rate must be positive; leave the key out when"
                    + " unknown", text);
        }
        if (bits.compareTo(BigDecimal.valueOf(MAX_BITS_PER_SECOND)) > 0) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "more than 1 Tbit/s", text);
        }
        return bits.longValueExact();
    }

    /**
     * A size in bytes within {@code min..max}: a number and an optional unit, case-insensitive,
     * binary prefixes: none (bytes), {@code k} or {@code KiB} (1024), {@code m} or {@code MiB}
     * (1024 * 1024): {@code 262144}, {@code 512k}, {@code 8m}, {@code 1.5MiB}. Decimal units
     * ({@code kB}, {@code MB}) are refused rather than guessed.
     *
     * @throws ConfigException {@link Reason#INVALID_NUMBER} for any other form or a fraction of a
     *     byte; {@link Reason#OUT_OF_RANGE} outside the range
     */
    static int bytes(String key, String text, int min, int max) throws ConfigException {
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        Long unit = m.matches() ? SIZE_UNITS_BYTES.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new ConfigException(key, Reason.INVALID_NUMBER,
                    "not a size (bytes, or a number with k or m for KiB or MiB)", text);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new ConfigException(key, Reason.INVALID_NUMBER, "a fraction of a byte", text);
        }
        if (bytes.compareTo(BigDecimal.valueOf(min)) < 0 || bytes.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new ConfigException(key, Reason.OUT_OF_RANGE, "outside " + min + ".." + max + " bytes", text);
        }
        return bytes.intValueExact();
    }
}
