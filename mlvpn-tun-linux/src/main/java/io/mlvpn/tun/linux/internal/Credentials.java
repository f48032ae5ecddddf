package io.mlvpn.tun.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * The native steps of dropping privileges that pass C structures: looking up an account
 * ({@code getpwnam_r}) and setting the calling thread's capabilities ({@code capset}). The order
 * of the steps and the checks around them stay with the caller. Stateless.
 */
public final class Credentials {
    private static final int FIRST_BUFFER_BYTES = 16 * 1024;
    private static final int MAX_BUFFER_BYTES = 1024 * 1024;

    private Credentials() {
    }

    /**
     * The account named {@code user}, its strings buffer grown on {@code ERANGE} up to 1 MiB.
     *
     * @throws IOException naming {@code getpwnam_r} and the errno, or when there is no such user
     */
    public static Passwd lookUp(String user) throws IOException {
        Passwd account = new Passwd();
        Memory result = new Memory(8);
        for (int size = FIRST_BUFFER_BYTES; ; size *= 2) {
            Memory strings = new Memory(size);
            result.setPointer(0, null);
            int rc = LibC.getpwnam_r(user, account, strings, size, result);
            if (rc == Errno.ERANGE && size < MAX_BUFFER_BYTES) {
                continue;
            }
            if (rc != 0) {
                throw Errno.exception("getpwnam_r(\"" + user + "\")", rc);
            }
            if (result.getPointer(0) == null) {
                throw new IOException("getpwnam_r(\"" + user + "\"): no such user");
            }
            return account;
        }
    }

    /**
     * Leaves the calling thread only {@code CAP_NET_ADMIN}, permitted and effective.
     *
     * @throws IOException naming {@code capset} and the errno
     */
    public static void keepOnlyNetAdmin() throws IOException {
        CapUserHeader header = new CapUserHeader();
        header.write();
        Memory data = new Memory(2L * 12);
        data.clear();
        CapUserData low = new CapUserData(data);
        low.effective = 1 << Capability.CAP_NET_ADMIN;
        low.permitted = 1 << Capability.CAP_NET_ADMIN;
        low.write();
        Pointer headerMemory = header.getPointer();
        if (LibC.capset(headerMemory, data) != 0) {
            throw Errno.lastException("capset(CAP_NET_ADMIN permitted+effective)");
        }
    }
}
