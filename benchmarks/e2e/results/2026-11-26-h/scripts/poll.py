import socket, json, sys, time
path, secs, label = sys.argv[1], float(sys.argv[2]), sys.argv[3]
end = time.time() + secs
while time.time() < end:
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(path); s.sendall(b"status\n")
        data = b""
        while True:
            d = s.recv(65536)
            if not d: break
            data += d
        st = json.loads(data)
        parts = []
        for l in st["links"]:
            parts.append("%s %s tx=%.1f dr=%.1f loss=%.3f lost=%d srtt=%.1f inf=%d" % (l["name"], l["state"][:4], l["tx_rate_bps"]/1e6, l["delivery_rate_bps"]/1e6, l["loss_ratio"], l["lost_packets"], l["srtt_ms"], l["in_flight_bytes"]))
        r = st["reorder"]; dr = st["drops"]
        print("%s %.1f | %s | held=%d late=%d skip=%d dup=%d qfull=%d" % (label, time.time() % 1000, " | ".join(parts), r["held"], r["late"], r["skipped_gaps"], dr["duplicate"], dr["queue_full"]), flush=True)
    except Exception as e:
        print(label, "err", e, flush=True)
    time.sleep(1)
