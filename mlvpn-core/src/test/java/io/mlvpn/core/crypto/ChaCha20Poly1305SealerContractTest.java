package io.mlvpn.core.crypto;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.crypto.PacketSealerContract;

class ChaCha20Poly1305SealerContractTest extends PacketSealerContract {

    @Override
    protected PacketSealer newSealer(byte[] key) {
        return Sealers.create(CipherSuite.CHACHA20_POLY1305, key);
    }
}
