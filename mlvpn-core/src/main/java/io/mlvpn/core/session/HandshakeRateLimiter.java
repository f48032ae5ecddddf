package io.mlvpn.core.session;

import io.mlvpn.api.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Limits handshake work per source with a token bucket per source (docs/protocol.md, section 5:
 * 10 per second, burst 20). A source is an {@link java.net.InetAddress} (an IP address, all a
 * datagram's source proves) or an {@link java.net.InetSocketAddress} (IP and port, once a cookie
 * proved them). Memory is bounded: at most {@code maxAddresses} buckets are kept and the least
 * recently used one is forgotten first, so a forgotten source starts again with a full bucket (a
 * flood from many sources can cost a real client nothing but a refill).
 *
 * <p>Safe for concurrent use (synchronized; handshakes are rare).
 */
public final class HandshakeRateLimiter {
    /** Handshakes per second per address, from protocol.md. */
    public static final int DEFAULT_PER_SECOND = 10;
    /** Burst per address, from protocol.md. */
    public static final int DEFAULT_BURST = 20;
    /** Addresses tracked at most. */
    public static final int DEFAULT_MAX_ADDRESSES = 4096;

    private static final double NANOS_PER_SECOND = 1e9;

    private final Clock clock;
    private final double perSecond;
    private final double burst;
    private final Map<Object, Bucket> buckets;
    private long tokensTaken;

    /** The protocol's defaults: 10 per second, burst 20, 4096 addresses. */
    public HandshakeRateLimiter(Clock clock) {
        this(clock, DEFAULT_PER_SECOND, DEFAULT_BURST, DEFAULT_MAX_ADDRESSES);
    }

    /**
     * @param perSecond tokens added per second, at least 1
     * @param burst bucket size, at least 1
     * @param maxAddresses buckets kept at most, at least 1
     * @throws IllegalArgumentException when a bound is below 1
     */
    public HandshakeRateLimiter(Clock clock, int perSecond, int burst, int maxAddresses) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond < 1: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst < 1: " + burst);
        }
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses < 1: " + maxAddresses);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(16, 0.75f, /* accessOrder = */ true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** Takes one token from {@code source}'s bucket; false when it is empty. */
    public synchronized boolean tryAcquire(Object source) {
        long now = clock.nanoTime();
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            bucket = new Bucket(burst, now);
            buckets.put(source, bucket);
        } else {
            long elapsed = now - bucket.updatedNanos;
            if (elapsed > 0) {
                bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond / NANOS_PER_SECOND);
                bucket.updatedNanos = now;
            }
        }
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        tokensTaken++;
        return true;
    }

    /** Number of addresses currently tracked. */
    synchronized int trackedAddresses() {
        return buckets.size();
    }

    /** Tokens taken so far, for the tests that count what a datagram costs. */
    synchronized long tokensTaken() {
        return tokensTaken;
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }
}
