package io.mlvpn.tun.bsd;

import io.mlvpn.api.NativeModuleContract;
import io.mlvpn.tun.bsd.internal.LibC;

/** JNA stays in {@code io.mlvpn.tun.bsd.internal}; no logging API (DESIGN.md's dependency rule). */
class NativeModuleTest extends NativeModuleContract {
    @Override
    protected Class<?> anchor() {
        return BsdTun.class;
    }

    @Override
    protected Class<?> nativeBinding() {
        return LibC.class;
    }
}
