package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** {@link AvailabilityProbe.NativeChecks} made with real system calls. Stateless. */
public final class RealNativeChecks implements AvailabilityProbe.NativeChecks {

    /**
     * The JVM's native pointer size in bytes, as JNA reports it; 8 when JNA's own native part is
     * missing, which {@link #loadLibc()} then reports.
     */
    public int pointerSize() {
        try {
            return Native.POINTER_SIZE;
        } catch (LinkageError e) {
            return 8;
        }
    }

    @Override
    public String loadLibc() {
        try {
            LibC.load();
            return VarargsLibC.INSTANCE == null ? "no VarargsLibC" : null;
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    @Override
    public int accessReadWrite(String path) {
        return LibC.access(path, Fcntl.R_OK | Fcntl.W_OK) < 0 ? Native.getLastError() : 0;
    }

    @Override
    public int lookUpUtunControl() {
        int fd = LibC.socket(SysSocket.PF_SYSTEM, SysSocket.SOCK_DGRAM, SysDomain.SYSPROTO_CONTROL);
        if (fd < 0) {
            return Native.getLastError();
        }
        try {
            CtlInfo info = CtlInfo.forName(IfUtun.UTUN_CONTROL_NAME);
            info.write();
            int r = VarargsLibC.INSTANCE.ioctl(fd, new NativeLong(KernControl.CTLIOCGINFO), info.getPointer());
            return r < 0 ? Native.getLastError() : 0;
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }

    @Override
    public int effectiveUserId() {
        return LibC.geteuid();
    }
}
