package io.mlvpn.core.device;

import io.mlvpn.api.device.DeviceType;

/** Providers with public no-argument constructors, for the {@link java.util.ServiceLoader} tests. */
final class ServiceLoadedDeviceProviders {
    private ServiceLoadedDeviceProviders() {
    }

    /** Priority 10, TUN. */
    public static final class Low extends FakeDeviceProvider {
        /** For ServiceLoader. */
        public Low() {
            super("low", 10, null, DeviceType.TUN);
        }
    }

    /** Priority 50, TUN and TAP. */
    public static final class High extends FakeDeviceProvider {
        /** For ServiceLoader. */
        public High() {
            super("high", 50, null, DeviceType.TUN, DeviceType.TAP);
        }
    }

    /** Fails in its constructor. */
    public static final class Broken extends FakeDeviceProvider {
        /** For ServiceLoader; always throws. */
        public Broken() {
            super("broken", 99, null, DeviceType.TUN);
            throw new IllegalStateException("no native library");
        }
    }

    /** Its availability probe throws. */
    public static final class Flaky extends FakeDeviceProvider {
        /** For ServiceLoader. */
        public Flaky() {
            super("flaky", 70, null, DeviceType.TUN);
        }

        @Override
        public boolean isAvailable() {
            throw new IllegalStateException("probe crashed");
        }
    }
}
