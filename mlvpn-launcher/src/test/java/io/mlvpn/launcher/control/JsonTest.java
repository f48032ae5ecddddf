package io.mlvpn.launcher.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON writer's escaping, read back by the parser, and the parser's refusals. */
class JsonTest {
    @Test
    void everyAwkwardStringSurvivesARoundTrip() {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 sep\u2028 é 😀 </script>";
        String json = new JsonWriter().beginObject().field("s", nasty).field("n", -42).field("d", 1.5)
                .field("nan", Double.NaN).field("b", true).name("a").beginArray().value(1).value("x").nullValue()
                .beginObject().endObject().endArray().endObject().toString();
        Map<String, Object> m = JsonParser.parseObject(json);
        assertEquals(nasty, m.get("s"));
        assertEquals(-42L, m.get("n"));
        assertEquals(1.5, m.get("d"));
        assertEquals(null, m.get("nan"));
        assertEquals(true, m.get("b"));
        List<?> a = (List<?>) m.get("a");
        assertEquals(4, a.size());
        assertEquals(1L, a.get(0));
        assertEquals("x", a.get(1));
        assertEquals(null, a.get(2));
        assertEquals(Map.of(), a.get(3));
    }

    @Test
    void malformedJsonIsRefusedWithItsOffset() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":1}x", "\"\\q\"", "tru", "[\"\u0001\"]",
            "1.2.3", "{\"a\":\"\\u12\"}", "[".repeat(100) + "]".repeat(100)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("JSON at offset "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> JsonParser.parseObject("[]"));
    }
}
