package io.mlvpn.core;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.LinkConfig;
import io.mlvpn.api.config.TunnelConfig;
import io.mlvpn.core.link.LinkRuntime;
import io.mlvpn.core.link.TimerSide;
import io.mlvpn.core.session.HandshakeKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed configuration to a running tunnel, on the timer thread (so link states keep a
 * single writer): links added, removed or re-addressed, the key, and the settings that may change
 * live.
 */
final class Reload {
    private static final Logger log = LoggerFactory.getLogger(Reload.class);

    private final TunnelContext ctx;
    private final ControlLoop control;
    private final HandshakeHandler handshakes;

    Reload(TunnelContext ctx, ControlLoop control, HandshakeHandler handshakes) {
        this.ctx = ctx;
        this.control = control;
        this.handshakes = handshakes;
    }

    /** Applies {@code next}; returns what was not applied. */
    List<String> apply(TunnelConfig next, long now) {
        TunnelConfig cur = ctx.config;
        List<String> notApplied = new ArrayList<>();
        if (cur.mode() != next.mode()) {
            notApplied.add("mode: changes only at restart; nothing was applied");
            return notApplied;
        }
        TunnelConfig.Builder merged = next.toBuilder();
        if (cur.cipher() != next.cipher()) {
            notApplied.add("cipher: changes only at restart");
            merged.cipher(cur.cipher());
        }
        if (!cur.secret().sameAs(next.secret())) {
            // Key rotation without downtime: the sessions in place keep their keys, new handshakes
            // use the new one, and a server takes the old one for a grace period.
            handshakes.rotateKey(HandshakeKey.derive(next.secret()));
        }
        if (!cur.interfaceName().equals(next.interfaceName()) || cur.interfaceType() != next.interfaceType()
                || !cur.interfaceMtu().equals(next.interfaceMtu())
                || !cur.interfaceAddress().equals(next.interfaceAddress())
                || !cur.interfacePeer().equals(next.interfacePeer())) {
            notApplied.add("interface.*: changes only at restart");
            merged.interfaceName(cur.interfaceName()).interfaceType(cur.interfaceType())
                    .interfaceMtu(cur.interfaceMtu().orElse(0))
                    .interfaceAddress(cur.interfaceAddress().orElse(null))
                    .interfacePeer(cur.interfacePeer().orElse(null));
        }
        int nextMtu = TunnelBuilder.tunnelMtu(next);
        if (cur.interfaceMtu().isEmpty() && next.interfaceMtu().isEmpty() && nextMtu != ctx.mtu) {
            notApplied.add("tunnel MTU would become " + nextMtu + " (now " + ctx.mtu
                    + "): changes only at restart");
        }
        applyLinks(next, now, notApplied);
        control.timing(next.keepaliveInterval().toNanos(), next.rekeyInterval().toNanos());
        try {
            ctx.config = merged.build();
        } catch (ConfigException e) {
            // Both configurations were valid; mixing their fixed and live parts cannot make one invalid.
            throw new IllegalStateException("merged configuration invalid: " + e.getMessage(), e);
        }
        log.info("configuration reloaded{}", notApplied.isEmpty() ? "" : "; not applied: " + notApplied);
        return notApplied;
    }

    private void applyLinks(TunnelConfig next, long now, List<String> notApplied) {
        Map<String, TimerSide> old = new LinkedHashMap<>();
        BitSet used = new BitSet();
        for (TimerSide l : control.timers()) {
            old.put(l.link().name(), l);
            used.set(l.link().index());
        }
        List<TimerSide> result = new ArrayList<>();
        List<TimerSide> toOpen = new ArrayList<>();
        for (LinkConfig lc : next.links()) {
            TimerSide l = old.remove(lc.name());
            long timeout = next.timeoutOf(lc).toNanos();
            if (l == null) {
                int id = used.nextClearBit(0);
                if (id >= Session.MAX_LINKS) {
                    notApplied.add("link " + lc.name() + ": no free link id");
                    continue;
                }
                used.set(id);
                l = LinkRuntime.create(id, lc, timeout, ctx.clock);
                toOpen.add(l);
                log.info("link {}: added by reload", lc.name());
            } else {
                boolean bounce = socketDiffers(l.link().config(), lc);
                l.reconfigure(lc, timeout);
                if (bounce) {
                    control.closeLink(l, "socket settings changed by reload", now);
                    toOpen.add(l);
                }
            }
            result.add(l);
        }
        for (TimerSide gone : old.values()) {
            control.disconnect(gone, now);
            control.closeLink(gone, "removed by reload", now);
            log.info("link {}: removed by reload", gone.link().name());
        }
        control.links(result.toArray(new TimerSide[0]));
        for (TimerSide l : toOpen) {
            // Before start() nothing is open yet: start() opens every link of the new set.
            if (ctx.running && !control.tryOpen(l, now)) {
                notApplied.add("link " + l.link().name() + ": socket not open yet, retried with back-off");
            }
        }
    }

    /** Whether the link's socket must be reopened: what it was opened with (or sends to) changed. */
    private static boolean socketDiffers(LinkConfig a, LinkConfig b) {
        return !Objects.equals(a.bindHost(), b.bindHost()) || a.bindPort() != b.bindPort()
                || !Objects.equals(a.bindInterface(), b.bindInterface())
                || !Objects.equals(a.remoteHost(), b.remoteHost()) || a.remotePort() != b.remotePort()
                || !Objects.equals(a.transport(), b.transport())
                || a.socketBufferBytes() != b.socketBufferBytes();
    }
}
