import struct, sys
path, port = sys.argv[1], int(sys.argv[2])
f = open(path, 'rb'); gh = f.read(24)
q = {}; lat = []
while True:
    h = f.read(16)
    if len(h) < 16: break
    ts, tu, incl, orig = struct.unpack('<IIII', h); data = f.read(incl); t = ts + tu / 1e6
    if len(data) < 14 + 20 or struct.unpack('!H', data[12:14])[0] != 0x0800: continue
    ip = data[14:]; ihl = (ip[0] & 15) * 4
    if ip[9] != 17: continue
    udp = ip[ihl:]; sp, dp = struct.unpack('!HH', udp[:4]); dns = udp[8:]
    if len(dns) < 2: continue
    did = struct.unpack('!H', dns[:2])[0]
    if dp == port: q[(sp, did)] = t
    elif sp == port and (dp, did) in q:
        t0 = q.pop((dp, did)); lat.append((t0, (t - t0) * 1e6))
v = sorted(l for _, l in lat); n = len(v)
print(f'server-side n={n} p50={v[n//2]:.0f} p99={v[int(n*.99)]:.0f} p999={v[int(n*.999)]:.0f} max={v[-1]:.0f} us')
start = lat[0][0]
slow = [(t - start, l) for t, l in lat if l > 500]
print('slow >500us at s:', ' '.join(f'{t:.2f}({l/1000:.1f})' for t, l in slow[:80]))
