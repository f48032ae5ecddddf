package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValuesTest {
    @ParameterizedTest(name = "{0} = {1} bit/s")
    @CsvSource({
        "1,             1",
        "64000,         64000",
        "800kbit,       800000",
        "800 kbit,      800000",
        "50mbit,        50000000",
        "1gbit,         1000000000",
        "1.5mbit,       1500000",
        "0.5kbit,       500",
        "2.25gbit,      2250000000",
        "100kbps,       100000",
        "16Mbps,        16000000",
        "10GBPS,        10000000000",
        "512bit,        512",
        "512bps,        512",
        "20mbit/s,      20000000",
        "1000gbit,      1000000000000",
    })
    void rates(String text, long bitsPerSecond) throws ConfigException {
        assertEquals(bitsPerSecond, ConfigValues.bitsPerSecond("link.a.bandwidth", text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "fast,          INVALID_NUMBER",
        "10 furlongs,   INVALID_NUMBER",
        "10MB,          INVALID_NUMBER",
        "10k,           INVALID_NUMBER",
        "-5mbit,        INVALID_NUMBER",
        "1e6,           INVALID_NUMBER",
        "1.,            INVALID_NUMBER",
        ".5mbit,        INVALID_NUMBER",
        "1.0001kbit,    INVALID_NUMBER",
        "0,             OUT_OF_RANGE",
        "0.0mbit,       OUT_OF_RANGE",
        "1001gbit,      OUT_OF_RANGE",
        "99999999999999999999999999, OUT_OF_RANGE",
    })
    void badRates(String text, Reason reason) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigValues.bitsPerSecond("link.a.bandwidth", text));
        assertEquals("link.a.bandwidth", e.key());
        assertEquals(reason, e.reason());
        assertEquals(text, e.value());
    }

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "10,       10000",
        "10s,      10000",
        "10 s,     10000",
        "1500ms,   1500",
        "1500MS,   1500",
        "1.5s,     1500",
        "0.25,     250",
        "2m,       120000",
        "2min,     120000",
        "1h,       3600000",
        "0,        0",
        "24h,      86400000",
    })
    void durations(String text, long millis) throws ConfigException {
        assertEquals(Duration.ofMillis(millis), ConfigValues.duration("timeout", text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "soon,      INVALID_NUMBER",
        "10sec,     INVALID_NUMBER",
        "-1s,       INVALID_NUMBER",
        "1.5ms,     INVALID_NUMBER",
        "0.0001s,   INVALID_NUMBER",
        "PT10S,     INVALID_NUMBER",
        "25h,       OUT_OF_RANGE",
        "99999999999999999999999s, OUT_OF_RANGE",
    })
    void badDurations(String text, Reason reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigValues.duration("rekey.interval", text));
        assertEquals("rekey.interval", e.key());
        assertEquals(reason, e.reason());
    }

    @Test
    void integers() throws ConfigException {
        assertEquals(5080, ConfigValues.integer("k", "5080", 0, 65535));
        assertEquals(0, ConfigValues.integer("k", "0", 0, 65535));
        assertEquals(65535, ConfigValues.integer("k", "+65535", 0, 65535));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "abc,                   INVALID_NUMBER",
        "12.5,                  INVALID_NUMBER",
        "0x50,                  INVALID_NUMBER",
        "'1 000',               INVALID_NUMBER",
        "65536,                 OUT_OF_RANGE",
        "-1,                    OUT_OF_RANGE",
        "99999999999999999999,  OUT_OF_RANGE",
    })
    void badIntegers(String text, Reason reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigValues.integer("port", text, 0, 65535));
        assertEquals("port", e.key());
        assertEquals(reason, e.reason());
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "65536,         65536",
        "262144,        262144",
        "512k,          524288",
        "512 K,         524288",
        "512KiB,        524288",
        "8m,            8388608",
        "8M,            8388608",
        "8MiB,          8388608",
        "1.5m,          1572864",
        "256m,          268435456",
    })
    void sizes(String text, int bytes) throws ConfigException {
        assertEquals(bytes, ConfigValues.bytes("link.a.socket.buffer", text, 65_536, 268_435_456));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "big,           INVALID_NUMBER",
        "8MB,           INVALID_NUMBER",
        "8kB,           INVALID_NUMBER",
        "1g,            INVALID_NUMBER",
        "-1m,           INVALID_NUMBER",
        "0.1k,          INVALID_NUMBER",
        "1e6,           INVALID_NUMBER",
        "65535,         OUT_OF_RANGE",
        "63k,           OUT_OF_RANGE",
        "0,             OUT_OF_RANGE",
        "257m,          OUT_OF_RANGE",
        "99999999999999999999999999, OUT_OF_RANGE",
    })
    void badSizes(String text, Reason reason) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigValues.bytes("link.a.socket.buffer", text, 65_536, 268_435_456));
        assertEquals("link.a.socket.buffer", e.key());
        assertEquals(reason, e.reason());
        assertEquals(text, e.value());
    }
}
