package io.mlvpn.launcher;

/**
 * The command line is wrong; the message says how, in one line. The launcher prints it with the
 * usage text and exits with status 2.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, e.g. {@code unknown option: --foo} */
    public UsageException(String message) {
        super(message);
    }
}
