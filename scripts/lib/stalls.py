#!/usr/bin/env python3
"""Where slow answers waited, from a loopback capture of one fixed-rate run (scripts/latency-stalls.sh).

Usage: stalls.py CAPTURE.pcap CLIENT_PORT UPSTREAM_PORT GC_LOG [STALL_MS]

Matches each client query (UDP to CLIENT_PORT) with its answer by client port and DNS ID, groups the
answers slower than STALL_MS (default 1.5) into episodes (a run of queries that waited together), and
puts each episode in one place:
  safepoint   a JVM safepoint of 0.5 ms or more (GC_LOG: -Xlog:safepoint with the time decoration)
              overlapped it: in practice a collector pause;
  proxy-in    nothing at all went to the upstream (TCP to UPSTREAM_PORT) for 1 ms after the query arrived;
  upstream    the upstream sent nothing back for 1 ms after that;
  proxy-out   the rest: the upstream was answering, this client's answer left late.
The upstream connection is TLS, so its segments cannot be matched to queries: the first three places
are certain only for stalls of a whole process (nothing moved on that side); a stall of one query among
others moving lands in proxy-out.
"""
import bisect
import datetime
import re
import struct
import sys


def packets(path):
    with open(path, "rb") as f:
        magic, = struct.unpack("<I", f.read(24)[:4])
        scale = 1e9 if magic == 0xA1B23C4D else 1e6
        while True:
            header = f.read(16)
            if len(header) < 16:
                return
            seconds, fraction, length, _ = struct.unpack("<IIII", header)
            yield seconds + fraction / scale, f.read(length)


def events(path, client_port, upstream_port):
    """(time, kind, key): kind q/a for client queries/answers (key: port, id), up/down for TCP payloads."""
    for t, frame in packets(path):
        ip = frame[14:]  # Ethernet framing on the loopback device
        if len(ip) < 20 or ip[0] >> 4 != 4:
            continue
        ihl, proto, total = (ip[0] & 15) * 4, ip[9], struct.unpack(">H", ip[2:4])[0]
        l4 = ip[ihl:]
        src, dst = struct.unpack(">HH", l4[:4])
        if proto == 17 and len(l4) >= 10:
            qid = struct.unpack(">H", l4[8:10])[0]
            if dst == client_port:
                yield t, "q", (src, qid)
            elif src == client_port:
                yield t, "a", (dst, qid)
        elif proto == 6 and total - ihl - (l4[12] >> 4) * 4 > 0:
            if dst == upstream_port:
                yield t, "up", None
            elif src == upstream_port:
                yield t, "down", None


def safepoints(path):
    spans = []
    for line in open(path):
        m = re.match(r"\[([^\]]+)\].*Safepoint \"(\w+)\".*Total: (\d+) ns", line)
        if m:
            end = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            if int(m.group(3)) >= 500_000:
                spans.append((end - int(m.group(3)) / 1e9, end))
    return spans


def main():
    capture, client_port, upstream_port, gc_log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    stall = float(sys.argv[5]) / 1000 if len(sys.argv) > 5 else 0.0015
    ev = list(events(capture, client_port, upstream_port))
    ups = [t for t, kind, _ in ev if kind == "up"]
    downs = [t for t, kind, _ in ev if kind == "down"]
    asked, slow, answered = {}, [], 0
    for t, kind, key in ev:
        if kind == "q":
            asked[key] = t
        elif kind == "a" and key in asked:
            t0 = asked.pop(key)
            answered += 1
            if t - t0 > stall:
                slow.append((t0, t))
    spans = safepoints(gc_log)
    places = {"safepoint": 0, "proxy-in": 0, "upstream": 0, "proxy-out": 0}
    episode_end = 0.0
    for t0, t1 in sorted(slow):
        if t0 < episode_end:
            episode_end = max(episode_end, t1)  # waited together with the episode before
            continue
        episode_end = t1
        if any(a <= t1 and b >= t0 for a, b in spans):
            places["safepoint"] += 1
            continue
        i = bisect.bisect_left(ups, t0)
        sent = ups[i] if i < len(ups) else t1
        if sent - t0 > 0.001:
            places["proxy-in"] += 1
            continue
        j = bisect.bisect_left(downs, sent)
        back = downs[j] if j < len(downs) else t1
        places["upstream" if back - sent > 0.001 else "proxy-out"] += 1
    episodes = sum(places.values())
    print(f"answers {answered}, slower than {stall * 1000:g} ms: {len(slow)} in {episodes} episodes: "
          + ", ".join(f"{k} {v}" for k, v in places.items()))


if __name__ == "__main__":
    main()
