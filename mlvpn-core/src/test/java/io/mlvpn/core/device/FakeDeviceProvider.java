package io.mlvpn.core.device;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceProvider;
import io.mlvpn.api.device.DeviceType;
import io.mlvpn.api.device.PacketDevice;
import java.util.EnumSet;
import java.util.Set;

/** A device provider whose name, priority, availability and types a test chooses. */
class FakeDeviceProvider implements DeviceProvider {
    private final String name;
    private final int priority;
    private final String unavailabilityCause;
    private final Set<DeviceType> types;

    /** Available, supporting the given types. */
    static FakeDeviceProvider available(String name, int priority, DeviceType... types) {
        return new FakeDeviceProvider(name, priority, null, types);
    }

    /** Unavailable for the given cause. */
    static FakeDeviceProvider unavailable(String name, int priority, String cause) {
        return new FakeDeviceProvider(name, priority, cause, DeviceType.values());
    }

    FakeDeviceProvider(String name, int priority, String unavailabilityCause, DeviceType... types) {
        this.name = name;
        this.priority = priority;
        this.unavailabilityCause = unavailabilityCause;
        this.types = types.length == 0 ? EnumSet.noneOf(DeviceType.class) : EnumSet.of(types[0], types);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean isAvailable() {
        return unavailabilityCause == null;
    }

    @Override
    public String unavailabilityCause() {
        return unavailabilityCause == null ? "available" : unavailabilityCause;
    }

    @Override
    public boolean supports(DeviceType type) {
        return types.contains(type);
    }

    @Override
    public PacketDevice open(DeviceConfig config) {
        return new MemoryDevice(config.name(), config.type(), config.mtu(), 4);
    }

    @Override
    public String toString() {
        return name;
    }
}
