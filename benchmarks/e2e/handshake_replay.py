#!/usr/bin/env python3
"""handshake_replay.py - record one mlvpn handshake INIT off a lab link and replay it on the wire.

Used by run.sh's `replay` scenario. Linux only, needs root (AF_PACKET). Python 3, no modules
outside the standard library.

Usage:
  handshake_replay.py capture IFACE PORT OUT TIMEOUT_S
      Listens on IFACE (an AF_PACKET socket: every frame the interface receives) for the first
      IPv4/UDP datagram to PORT whose payload starts like a HANDSHAKE_INIT (header byte 0x21:
      protocol version 2, type 1; any length, so a handshake-1 INIT of 74 bytes is taken too), and
      writes that Ethernet frame to OUT. Prints "listening ..." once the socket is bound (callers
      wait for it), then one line describing the INIT. Exit 1 when none came within TIMEOUT_S.
  handshake_replay.py send IFACE FRAME RATE SECONDS PORT
      Sends the recorded frame FRAME out of IFACE (AF_PACKET: straight onto the link, not through
      the sending host's IP stack or any of its sockets) RATE times a second for SECONDS. The
      frame keeps its source IP address and port, so to the far end it is the recorded client's
      own INIT arriving again, as from a spoofing host on the path or a NAT replaying it.
      Meanwhile it counts the handshake answers arriving on IFACE from PORT (RESPONSE, REJECT,
      COOKIE: type 2, 3, 8), those to the real client's own offers included. Prints a progress
      line every 5 s and a final line "replay sent=N seconds=S rate=R skipped=K send_errors=E
      answers_response=A answers_reject=B answers_cookie=C" (skipped: send slots given up after
      a stall of the process); SIGTERM ends it early with the final line.

The UDP checksum is recomputed before sending: a frame recorded on a veth may carry only the
pseudo-header sum (checksum offload), which the receiver would drop as corrupt when it arrives
again without the offload flag.
"""

import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
PACKET_HOST = 0
PACKET_OUTGOING = 4
INIT_BYTE = 0x21  # version 2 << 4 | type 1
ANSWER_TYPES = {0x22: "response", 0x23: "reject", 0x28: "cookie"}


def parse_udp(frame):
    """(src_ip, src_port, dst_ip, dst_port, ip_off, udp_off, payload) of an IPv4/UDP frame, or None."""
    if len(frame) < 14 + 20 + 8 or struct.unpack_from("!H", frame, 12)[0] != ETH_P_IP:
        return None
    ip = 14
    if frame[ip] >> 4 != 4 or frame[ip + 9] != 17:
        return None
    ihl = (frame[ip] & 0x0F) * 4
    total = struct.unpack_from("!H", frame, ip + 2)[0]
    udp = ip + ihl
    if len(frame) < udp + 8 or len(frame) < ip + total:
        return None
    sport, dport, ulen = struct.unpack_from("!HHH", frame, udp)
    payload = frame[udp + 8:udp + ulen]
    return (socket.inet_ntoa(frame[ip + 12:ip + 16]), sport, socket.inet_ntoa(frame[ip + 16:ip + 20]),
            dport, ip, udp, payload)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def fix_checksums(frame):
    """The frame with its IPv4 header checksum and UDP checksum computed in full."""
    f = bytearray(frame)
    ip = 14
    ihl = (f[ip] & 0x0F) * 4
    total = struct.unpack_from("!H", f, ip + 2)[0]
    del f[ip + total:]  # no Ethernet padding
    struct.pack_into("!H", f, ip + 10, 0)
    struct.pack_into("!H", f, ip + 10, checksum(bytes(f[ip:ip + ihl])))
    udp = ip + ihl
    ulen = struct.unpack_from("!H", f, udp + 4)[0]
    struct.pack_into("!H", f, udp + 6, 0)
    pseudo = f[ip + 12:ip + 20] + struct.pack("!BBH", 0, 17, ulen)
    c = checksum(bytes(pseudo) + bytes(f[udp:udp + ulen]))
    struct.pack_into("!H", f, udp + 6, c or 0xFFFF)
    return bytes(f)


def capture(iface, port, out, timeout_s):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((iface, ETH_P_IP))
    print("listening on %s for a HANDSHAKE_INIT to UDP port %d" % (iface, port), flush=True)
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            print("no HANDSHAKE_INIT to port %d on %s within %ss" % (port, iface, timeout_s), flush=True)
            return 1
        ready, _, _ = select.select([s], [], [], left)
        if not ready:
            continue
        frame, addr = s.recvfrom(65535)
        if addr[2] != PACKET_HOST:
            continue
        u = parse_udp(frame)
        if u is None or u[3] != port or len(u[6]) < 16 or u[6][0] != INIT_BYTE:
            continue
        tmp = out + ".tmp"
        with open(tmp, "wb") as f:
            f.write(frame)
        os.rename(tmp, out)
        session = struct.unpack_from("!H", u[6], 2)[0]
        print("recorded a HANDSHAKE_INIT of %d bytes (session id %d) from %s:%d to %s:%d on %s, frame %d bytes"
              % (len(u[6]), session, u[0], u[1], u[2], u[3], iface, len(frame)), flush=True)
        return 0


def send(iface, frame_file, rate, seconds, port):
    with open(frame_file, "rb") as f:
        frame = fix_checksums(f.read())
    u = parse_udp(frame)
    if u is None:
        print("%s holds no IPv4/UDP frame" % frame_file, flush=True)
        return 1
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)  # protocol 0: sends only
    tx.bind((iface, 0))
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    rx.bind((iface, ETH_P_IP))
    rx.setblocking(False)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    answers = {name: 0 for name in ANSWER_TYPES.values()}
    print("replaying the %d-byte INIT from %s:%d to %s:%d on %s at %d/s for %ss"
          % (len(u[6]), u[0], u[1], u[2], u[3], iface, rate, seconds), flush=True)

    def drain():
        while True:
            try:
                got, addr = rx.recvfrom(65535)
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            a = parse_udp(got)
            if a is not None and a[1] == port and a[6] and a[6][0] in ANSWER_TYPES:
                answers[ANSWER_TYPES[a[6][0]]] += 1

    t0 = time.monotonic()
    end = t0 + seconds
    sent = 0
    slot = 0  # the next send slot, slot i being due at t0 + i / rate
    skipped = 0
    send_errors = 0
    next_report = t0 + 5
    while not stop:
        now = time.monotonic()
        if now >= end:
            break
        due = int((now - t0) * rate) + 1
        # A late wake-up sends what is due, at most 50 at once: a process starved for a while does
        # not make up for it with a burst (the skipped slots lower the rate reported at the end).
        if due - slot > 50:
            skipped += due - slot - 50
            slot = due - 50
        while slot < due:
            slot += 1
            try:
                tx.send(frame)
                sent += 1
            except OSError:  # e.g. a full queue: that slot is lost, counted
                send_errors += 1
        drain()
        if now >= next_report:
            print("t=%.0fs sent=%d skipped=%d answers %s" % (now - t0, sent, skipped,
                  " ".join("%s=%d" % kv for kv in answers.items())), flush=True)
            next_report += 5
        pause = t0 + slot / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    elapsed = time.monotonic() - t0
    drain()
    print("replay sent=%d seconds=%.2f rate=%.1f skipped=%d send_errors=%d answers_response=%d answers_reject=%d"
          " answers_cookie=%d" % (sent, elapsed, sent / elapsed if elapsed > 0 else 0, skipped, send_errors,
                                  answers["response"], answers["reject"], answers["cookie"]), flush=True)
    return 0


def main(argv):
    try:
        if len(argv) == 5 and argv[0] == "capture":
            return capture(argv[1], int(argv[2]), argv[3], float(argv[4]))
        if len(argv) == 6 and argv[0] == "send":
            return send(argv[1], argv[2], int(argv[3]), float(argv[4]), int(argv[5]))
    except ValueError as e:
        print("bad argument: %s" % e, file=sys.stderr)
        return 2
    print(__doc__[__doc__.index("Usage:"):__doc__.index("\nThe UDP checksum")], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
