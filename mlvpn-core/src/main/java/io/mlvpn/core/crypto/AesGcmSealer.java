package io.mlvpn.core.crypto;

import io.mlvpn.api.crypto.CipherSuite;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM with a 128-bit tag on the JDK's {@code AES/GCM/NoPadding}. Not safe for concurrent use. */
final class AesGcmSealer extends JdkAeadSealer {

    private static final int TAG_BITS = CipherSuite.TAG_LENGTH * 8;

    AesGcmSealer(byte[] key) throws GeneralSecurityException {
        super(CipherSuite.AES_256_GCM, "AES/GCM/NoPadding", "AES", key);
    }

    @Override
    AlgorithmParameterSpec nonceSpec(byte[] nonce) {
        return new GCMParameterSpec(TAG_BITS, nonce);
    }
}
