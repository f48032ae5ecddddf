package io.mlvpn.core.crypto;

import io.mlvpn.api.crypto.CipherSuite;
import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.api.crypto.PacketSealerContract;

class AesGcmSealerContractTest extends PacketSealerContract {

    @Override
    protected PacketSealer newSealer(byte[] key) {
        return Sealers.create(CipherSuite.AES_256_GCM, key);
    }
}
