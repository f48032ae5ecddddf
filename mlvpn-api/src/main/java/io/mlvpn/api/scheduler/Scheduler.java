package io.mlvpn.api.scheduler;

/**
 * Chooses the link, or links, each outgoing packet is sent on.
 *
 * <p><b>Threading.</b> An instance serves one tunnel and is called from that tunnel's
 * device-reader thread only, so it keeps its state in plain fields. {@link #select} is on the
 * per-packet path: it must not allocate, block or log above debug.
 */
public interface Scheduler {

    /** Short name for configuration and status ({@code wrr}). */
    String name();

    /**
     * Called before the first {@link #select} and whenever a link changed state or configuration,
     * on the device-reader thread.
     */
    default void linksChanged(LinkSet links) {
    }

    /**
     * Chooses links for one packet.
     *
     * @param links the tunnel's links
     * @param packetBytes the packet's size on the wire, bytes
     * @param targets where to write the chosen link indexes; its length is the most allowed
     * @return how many indexes were written; 0 when no link can take the packet
     */
    int select(LinkSet links, int packetBytes, int[] targets);
}
