package io.mlvpn.launcher;

import io.mlvpn.api.LinkState;
import io.mlvpn.api.LinkStats;
import java.util.List;
import java.util.Locale;

/**
 * Says, in one log line, why a tunnel has no link up: the state of each link, whether anything
 * was received on it and, when nothing was taken, what it was dropped as: failing authentication
 * points at a key or cipher that differs from the peer's; refused handshakes (malformed, of
 * another version, replayed or stale) at the line that refused them. The launcher logs it a few seconds after the tunnel went
 * (or started) down, then once a minute while it stays down.
 *
 * <p>Not thread-safe: the launcher's main thread calls {@link #due}.
 */
final class LinkDiagnosis {
    /** Down this long before the first report. */
    static final long FIRST_REPORT_MILLIS = 5_000;
    /** Between reports while still down. */
    static final long REPEAT_MILLIS = 60_000;

    private long downSinceMillis = -1;
    private long lastReportMillis = -1;

    /**
     * Feeds the tunnel's state at {@code nowMillis} (a monotonic clock).
     *
     * @return how long the tunnel has been down when a report is due now, else -1
     */
    long due(boolean tunnelUp, long nowMillis) {
        if (tunnelUp) {
            downSinceMillis = -1;
            lastReportMillis = -1;
            return -1;
        }
        if (downSinceMillis < 0) {
            downSinceMillis = nowMillis;
        }
        long down = nowMillis - downSinceMillis;
        if (down < FIRST_REPORT_MILLIS || lastReportMillis >= 0 && nowMillis - lastReportMillis < REPEAT_MILLIS) {
            return -1;
        }
        lastReportMillis = nowMillis;
        return down;
    }

    /** Whether a report was logged during the current down period. */
    boolean reported() {
        return lastReportMillis >= 0;
    }

    /**
     * The report: {@code no link up for 5 s: l1 connecting, nothing received; ...}. A link that
     * received datagrams and took none says so, with what they were dropped as: failing
     * authentication points at the key; malformed, of another handshake version, replayed or stale
     * points at the handshake line logged before it (a peer of another version is refused there).
     */
    static String describe(long downMillis, List<LinkStats> links) {
        StringBuilder b = new StringBuilder("no link up for ").append(downMillis / 1000).append(" s:");
        long authFailures = 0;
        long refused = 0;
        for (int i = 0; i < links.size(); i++) {
            LinkStats l = links.get(i);
            b.append(i == 0 ? " " : "; ").append(l.name()).append(' ')
                    .append(l.state().name().toLowerCase(Locale.ROOT));
            boolean dropped = l.dropsAuth() + l.dropsMalformed() + l.dropsReplay() > 0;
            if (l.rxPackets() > 0) {
                b.append(", ").append(l.rxPackets()).append(" packets received");
            } else {
                b.append(dropped ? ", nothing authenticated received" : ", nothing received");
            }
            if (l.dropsAuth() > 0) {
                b.append(", ").append(l.dropsAuth()).append(" failed authentication");
                authFailures += l.dropsAuth();
            }
            if (l.dropsMalformed() > 0) {
                b.append(", ").append(l.dropsMalformed()).append(" malformed or of another handshake version");
            }
            if (l.dropsReplay() > 0) {
                b.append(", ").append(l.dropsReplay()).append(" replayed or stale");
            }
            refused += l.dropsMalformed() + l.dropsReplay();
        }
        if (links.isEmpty()) {
            b.append(" no links configured");
        }
        if (authFailures > 0) {
            b.append(". ").append(authFailures).append(" packets from the peer failed authentication:"
                    + " do both ends use the same key (key.file or password) and cipher?");
        } else if (allDown(links) && refused > 0) {
            b.append(". Datagrams arrived, but none was taken: the handshake line logged before this one says"
                    + " why and from whom (a peer of another handshake version is refused there; see"
                    + " docs/operations.md, \"Handshake\")");
        } else if (allDown(links)) {
            b.append(". Nothing came up: check the peer's address, ports and firewall, and that it runs");
        }
        return b.toString();
    }

    private static boolean allDown(List<LinkStats> links) {
        for (LinkStats l : links) {
            if (l.state() == LinkState.UP || l.rxPackets() > 0) {
                return false;
            }
        }
        return true;
    }
}
