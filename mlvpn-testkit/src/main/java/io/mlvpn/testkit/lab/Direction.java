package io.mlvpn.testkit.lab;

/** One direction through a {@link UdpRelay}. */
public enum Direction {
    /** From the client link to the server link (the client's upload). */
    CLIENT_TO_SERVER,
    /** From the server link back to the client link (the client's download). */
    SERVER_TO_CLIENT
}
