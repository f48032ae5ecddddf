package io.mlvpn.launcher.control;

import io.mlvpn.api.config.ConfigException;
import io.mlvpn.api.config.ConfigException.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the control endpoint listens ({@code control.http}, {@code control.unix}) and the token
 * for actions over HTTP ({@code control.token}). Instances are immutable; {@link #NONE} has no
 * endpoint. {@code toString()} never shows the token.
 */
public final class ControlSettings {
    /** Key of the HTTP endpoint. */
    public static final String HTTP_KEY = "control.http";
    /** Key of the unix socket. */
    public static final String UNIX_KEY = "control.unix";
    /** Key of the token. */
    public static final String TOKEN_KEY = "control.token";
    /** The socket the status command uses when given neither {@code --socket} nor a configuration. */
    public static final Path DEFAULT_UNIX_PATH = Path.of("/run/mlvpn/mlvpn.sock");
    /** No endpoint, no token. */
    public static final ControlSettings NONE = new ControlSettings(null, null, null);

    private final InetSocketAddress http;
    private final Path unix;
    private final ControlToken token;

    private ControlSettings(InetSocketAddress http, Path unix, ControlToken token) {
        this.http = http;
        this.unix = unix;
        this.token = token;
    }

    /**
     * Settings from their parts; each may be {@code null} (absent).
     *
     * @param http a loopback address
     * @param unix an absolute path
     * @param token the token for actions over HTTP
     * @throws ConfigException naming {@code control.http} for an address that is not loopback,
     *     {@code control.unix} for a relative path
     */
    public static ControlSettings of(InetSocketAddress http, Path unix, ControlToken token) throws ConfigException {
        if (http != null && (http.isUnresolved() || !http.getAddress().isLoopbackAddress())) {
            throw new ConfigException(HTTP_KEY, Reason.INVALID_VALUE, "must be a loopback address (127.0.0.1, ::1"
                    + " or localhost): the endpoint has no TLS and no login", http.toString());
        }
        if (unix != null && !unix.isAbsolute()) {
            throw new ConfigException(UNIX_KEY, Reason.INVALID_VALUE, "must be an absolute path", unix.toString());
        }
        return new ControlSettings(http, unix, token);
    }

    /**
     * Parses {@code HOST:PORT} for {@code control.http}: HOST is {@code localhost}, a loopback
     * IPv4 literal or {@code [::1]}; PORT 0 to 65535 (0: any free port, for tests). No name is
     * looked up.
     *
     * @throws ConfigException naming {@code control.http}
     */
    public static InetSocketAddress parseHttp(String text) throws ConfigException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(HTTP_KEY, Reason.INVALID_VALUE, "HOST:PORT, e.g. 127.0.0.1:5080", text);
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535) {
            throw new ConfigException(HTTP_KEY, Reason.OUT_OF_RANGE, "port outside 0..65535", text);
        }
        int port = Integer.parseInt(portText);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new ConfigException(HTTP_KEY, Reason.INVALID_VALUE, "write an IPv6 address in brackets: [::1]:PORT",
                    text);
        }
        InetAddress address;
        if (host.equalsIgnoreCase("localhost")) {
            address = InetAddress.getLoopbackAddress();
        } else if (host.matches("[0-9.]+") || host.matches("[0-9a-fA-F:]+")) {
            try {
                // A literal: getByName does not look it up.
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new ConfigException(HTTP_KEY, Reason.INVALID_VALUE, "not an IP address", text);
            }
        } else {
            throw new ConfigException(HTTP_KEY, Reason.INVALID_VALUE, "HOST is localhost or a loopback address", text);
        }
        if (!address.isLoopbackAddress()) {
            throw new ConfigException(HTTP_KEY, Reason.INVALID_VALUE, "must be a loopback address (127.0.0.1, ::1"
                    + " or localhost): the endpoint has no TLS and no login", text);
        }
        return new InetSocketAddress(address, port);
    }

    /** The HTTP endpoint's address. */
    public Optional<InetSocketAddress> http() {
        return Optional.ofNullable(http);
    }

    /** The unix socket's path. */
    public Optional<Path> unix() {
        return Optional.ofNullable(unix);
    }

    /** The token allowing actions over HTTP; without it HTTP is read-only. */
    public Optional<ControlToken> token() {
        return Optional.ofNullable(token);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ControlSettings)) {
            return false;
        }
        ControlSettings c = (ControlSettings) o;
        return Objects.equals(http, c.http) && Objects.equals(unix, c.unix) && Objects.equals(token, c.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(http, unix, token);
    }

    @Override
    public String toString() {
        return "ControlSettings[http=" + (http == null ? "off" : http) + ", unix=" + (unix == null ? "off" : unix)
                + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
