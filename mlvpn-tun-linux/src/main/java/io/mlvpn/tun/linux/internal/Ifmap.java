package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * {@code struct ifmap} of {@code <net/if.h>}: the largest member of the ifreq union, here only so
 * that the union has its C size (24 bytes) and alignment (8).
 */
@FieldOrder({"mem_start", "mem_end", "base_addr", "irq", "dma", "port"})
public class Ifmap extends CStruct {
    /** unsigned long. */
    public long mem_start;
    /** unsigned long. */
    public long mem_end;
    /** unsigned short. */
    public short base_addr;
    /** unsigned char. */
    public byte irq;
    /** unsigned char. */
    public byte dma;
    /** unsigned char. */
    public byte port;

    /** Zeroes. */
    public Ifmap() {
    }
}
