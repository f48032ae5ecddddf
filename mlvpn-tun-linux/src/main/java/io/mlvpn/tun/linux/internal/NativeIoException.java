package io.mlvpn.tun.linux.internal;

import java.io.IOException;

/** A failed system call: the message names the call and the errno; {@link #errno()} holds it. */
public final class NativeIoException extends IOException {
    private final int errno;

    /** A failure with the given message (see {@link Errno#message}) and errno. */
    public NativeIoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno the call failed with. */
    public int errno() {
        return errno;
    }
}
