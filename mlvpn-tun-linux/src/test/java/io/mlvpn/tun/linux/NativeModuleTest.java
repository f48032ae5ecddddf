package io.mlvpn.tun.linux;

import io.mlvpn.api.NativeModuleContract;
import io.mlvpn.tun.linux.internal.LibC;

/** JNA stays in {@code io.mlvpn.tun.linux.internal}; no logging API (DESIGN.md's dependency rule). */
class NativeModuleTest extends NativeModuleContract {
    @Override
    protected Class<?> anchor() {
        return LinuxTun.class;
    }

    @Override
    protected Class<?> nativeBinding() {
        return LibC.class;
    }
}
