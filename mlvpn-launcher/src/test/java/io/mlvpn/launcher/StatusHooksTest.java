package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.api.LinkEvent;
import io.mlvpn.api.LinkState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusHooksTest {
    private final List<String> calls = new ArrayList<>();
    private final StatusHooks hooks = new StatusHooks(c -> calls.add(String.join(" ", c)));

    private void change(String link, LinkState from, LinkState to) {
        hooks.linkStateChanged(new LinkEvent(link, from, to, "test", 0));
    }

    @Test
    void firstLinkUpIsFollowedByTuntapUpAndLastDownByTuntapDown() {
        change("a", LinkState.DOWN, LinkState.CONNECTING);
        change("a", LinkState.CONNECTING, LinkState.UP);
        change("b", LinkState.CONNECTING, LinkState.UP);
        change("a", LinkState.UP, LinkState.DOWN);
        change("b", LinkState.UP, LinkState.CONNECTING);
        change("b", LinkState.CONNECTING, LinkState.UP);
        assertEquals(List.of("rtun_up a", "tuntap_up", "rtun_up b", "rtun_down a", "rtun_down b", "tuntap_down",
                "rtun_up b", "tuntap_up"), calls);
        assertEquals(List.of("b"), hooks.upLinks());
    }

    @Test
    void changesBetweenDownAndConnectingCallNothing() {
        change("a", LinkState.DOWN, LinkState.CONNECTING);
        change("a", LinkState.CONNECTING, LinkState.DOWN);
        assertEquals(List.of(), calls);
    }

    @Test
    void aRepeatedEventCallsOnce() {
        change("a", LinkState.CONNECTING, LinkState.UP);
        change("a", LinkState.CONNECTING, LinkState.UP);
        change("a", LinkState.UP, LinkState.DOWN);
        change("a", LinkState.UP, LinkState.DOWN);
        assertEquals(List.of("rtun_up a", "tuntap_up", "rtun_down a", "tuntap_down"), calls);
    }

    @Test
    void awaitNoLinkUpReturnsOnceTheLastLinkIsDown() throws Exception {
        assertTrue(hooks.awaitNoLinkUp(0), "nothing up");
        change("a", LinkState.CONNECTING, LinkState.UP);
        assertFalse(hooks.awaitNoLinkUp(10));
        Thread closer = new Thread(() -> change("a", LinkState.UP, LinkState.DOWN));
        closer.start();
        assertTrue(hooks.awaitNoLinkUp(10_000));
        closer.join();
    }
}
