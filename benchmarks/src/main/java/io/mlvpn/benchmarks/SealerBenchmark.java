package io.mlvpn.benchmarks;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.core.crypto.Sealers;
import io.mlvpn.core.wire.Header;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Seal, and seal then open, of one packet in place: the engine's {@link PacketSealer} against the
 * bare JDK cipher used the same way ({@code sealer*} / {@code jdk*}). The payload follows a
 * {@value Header#LENGTH}-byte header, authenticated as associated data, as on the wire.
 *
 * <p>The nonce counter grows with every call, as the engine's does: the JDK refuses to seal twice
 * under one nonce. Open is not measured alone because it needs a fresh sealed packet each time;
 * its cost is {@code sealOpen - seal}.
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SealerBenchmark {

    /** The AEAD. */
    @Param({"AES_256_GCM", "CHACHA20_POLY1305"})
    public CipherSuite cipher;

    /** Payload bytes after the header. */
    @Param({"64", "512", "1400"})
    public int payloadBytes;

    private PacketSealer sealer;
    private PacketSealer opener;
    private BareJdkAead jdk;
    private byte[] buf;
    private long counter;

    /** Creates the sealers and the bare JDK reference under one key, and a packet buffer. */
    @Setup
    public void setUp() throws GeneralSecurityException {
        byte[] key = new byte[Sealers.KEY_LENGTH];
        Arrays.fill(key, (byte) 0x42);
        sealer = Sealers.create(cipher, key);
        opener = Sealers.create(cipher, key);
        jdk = new BareJdkAead(cipher, key);
        buf = new byte[Header.LENGTH + payloadBytes + CipherSuite.TAG_LENGTH];
        Arrays.fill(buf, (byte) 0x5a);
    }

    /** The engine's sealer: seal one packet. */
    @Benchmark
    public int sealerSeal() {
        return sealer.seal(1, counter++, buf, 0, Header.LENGTH, payloadBytes);
    }

    /** The engine's sealers: seal one packet, then open it (two ciphers, as sender and receiver). */
    @Benchmark
    public int sealerSealOpen() {
        long c = counter++;
        int sealed = sealer.seal(1, c, buf, 0, Header.LENGTH, payloadBytes);
        return opener.open(1, c, buf, 0, Header.LENGTH, sealed - Header.LENGTH);
    }

    /** Reference: the bare JDK cipher sealing one packet. */
    @Benchmark
    public int jdkSeal() throws GeneralSecurityException {
        return jdk.seal(counter++, buf, Header.LENGTH, payloadBytes);
    }

    /** Reference: the bare JDK ciphers sealing one packet, then opening it. */
    @Benchmark
    public int jdkSealOpen() throws GeneralSecurityException {
        long c = counter++;
        int sealed = jdk.seal(c, buf, Header.LENGTH, payloadBytes);
        return jdk.open(c, buf, Header.LENGTH, sealed - Header.LENGTH);
    }
}
