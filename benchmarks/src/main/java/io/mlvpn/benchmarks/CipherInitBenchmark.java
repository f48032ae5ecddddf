package io.mlvpn.benchmarks;

import io.mlvpn.api.crypto.CipherSuite;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JDK cipher's {@code init} with a new nonce and nothing else: the part of the JDK's own
 * per-packet allocation that comes before any data. The whole of it (init and {@code doFinal}) is
 * what {@code SealerBenchmark.jdkSeal} and {@code jdkSealOpen} allocate, and is the one per-packet
 * allocation the project accepts; every other benchmark's {@code gc.alloc.rate.norm} is read
 * against those.
 *
 * <p>Per-thread state: not shared between benchmark threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CipherInitBenchmark {

    /** The AEAD. */
    @Param({"AES_256_GCM", "CHACHA20_POLY1305"})
    public CipherSuite cipher;

    private BareJdkAead jdk;
    private long counter;

    /** Creates the cipher. */
    @Setup
    public void setUp() throws GeneralSecurityException {
        jdk = new BareJdkAead(cipher, new byte[32]);
    }

    /** Reference: one {@code Cipher.init} for encryption under a new nonce. */
    @Benchmark
    public Cipher jdkInit() throws GeneralSecurityException {
        return jdk.initOnly(counter++);
    }
}
