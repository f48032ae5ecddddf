package io.mlvpn.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.config.ConfigException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LinkConfig#socketBufferBytes()}: its default, its range and its place among the other fields. */
class LinkConfigSocketBufferTest {

    @Test
    void defaultsToFourMebibytes() throws ConfigException {
        LinkConfig l = LinkConfig.builder("dsl1").build();
        assertEquals(4_194_304, LinkConfig.DEFAULT_SOCKET_BUFFER_BYTES);
        assertEquals(LinkConfig.DEFAULT_SOCKET_BUFFER_BYTES, l.socketBufferBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {65_536, 8 << 20, 268_435_456})
    void acceptsTheRangeInclusive(int bytes) throws ConfigException {
        assertEquals(bytes, LinkConfig.builder("dsl1").socketBufferBytes(bytes).build().socketBufferBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {65_535, 268_435_457, 0, -1, Integer.MAX_VALUE})
    void refusesValuesOutsideTheRangeNamingTheKey(int bytes) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> LinkConfig.builder("dsl1").socketBufferBytes(bytes).build());
        assertEquals("link.dsl1.socket.buffer", e.key());
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertEquals(Integer.toString(bytes), e.value());
    }

    @Test
    void isPartOfEqualityCopiesAndText() throws ConfigException {
        LinkConfig base = LinkConfig.builder("dsl1").build();
        LinkConfig bigger = base.toBuilder().socketBufferBytes(16 << 20).build();
        assertNotEquals(base, bigger);
        assertEquals(bigger, bigger.toBuilder().build());
        assertEquals(bigger.hashCode(), bigger.toBuilder().build().hashCode());
        assertEquals(16 << 20, bigger.toBuilder().build().socketBufferBytes());
        assertTrue(bigger.toString().contains("socket.buffer=16777216"), bigger.toString());
    }
}
