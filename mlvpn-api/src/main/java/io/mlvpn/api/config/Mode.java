package io.mlvpn.api.config;

/** Which end of the tunnel this is. */
public enum Mode {
    /** Initiates: each link sends to the server's address for that link. */
    CLIENT,
    /** Answers: each link listens and follows the authenticated client's address. */
    SERVER
}
