import struct, sys, re, datetime
path, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
f = open(path, 'rb'); f.read(24); q = {}; lat = []
while True:
    h = f.read(16)
    if len(h) < 16: break
    ts, tu, incl, orig = struct.unpack('<IIII', h); data = f.read(incl); t = ts + tu / 1e6
    if len(data) < 34 or struct.unpack('!H', data[12:14])[0] != 0x0800: continue
    ip = data[14:]; ihl = (ip[0] & 15) * 4
    if ip[9] != 17: continue
    udp = ip[ihl:]; sp, dp = struct.unpack('!HH', udp[:4]); dns = udp[8:]
    did = struct.unpack('!H', dns[:2])[0]
    if dp == port: q[(sp, did)] = t
    elif sp == port and (dp, did) in q:
        t0 = q.pop((dp, did)); lat.append((t0, t, (t - t0) * 1e6))
ev = []
for line in open(log):
    m = re.match(r'\[(\S+)\+0000\]\[(\S+)s\]\s*(.*)', line)
    if not m: continue
    t = datetime.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc).timestamp()
    ev.append((t, m.group(3)))
# clusters: slow answers (>500us), grouped when within 20 ms
slow = [x for x in lat if x[2] > 500]
clusters = []
for x in slow:
    if clusters and x[0] - clusters[-1][-1][0] < 0.02: clusters[-1].append(x)
    else: clusters.append([x])
start = lat[0][0]
cnt = {'gc': 0, 'comp': 0, 'none': 0}
for c in clusters:
    a, b = c[0][0] - 0.005, max(x[1] for x in c)
    near = [e for e in ev if a <= e[0] <= b]
    comps = [e for e in near if re.match(r'\s*\d+\s', e[1])]
    other = [e for e in near if not re.match(r'\s*\d+\s', e[1])]
    kind = 'gc' if any('Pause' in e[1] for e in other) else ('comp' if comps else 'none')
    cnt[kind] += len(c)
    print(f'{c[0][0]-start:6.3f}s n={len(c):3d} max={max(x[2] for x in c)/1000:.1f}ms comps={len(comps)} {" | ".join(e[1][:70] for e in other)[:200]}')
print(cnt, 'slow total', len(slow), 'of', len(lat))
