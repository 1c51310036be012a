import struct, sys
# hitcap.py PCAP PORT: server-side latency (query in -> answer out on lo) of the non-flood (not nx.test) queries
path, port = sys.argv[1], int(sys.argv[2])
f = open(path, 'rb'); gh = f.read(24)
magic = struct.unpack('<I', gh[:4])[0]; nano = magic == 0xa1b23c4d
link = struct.unpack('<I', gh[20:24])[0]
qin, lat = {}, []
def qname(b, o):
    labels = []
    while o < len(b) and b[o]:
        n = b[o]; labels.append(b[o+1:o+1+n].decode('ascii', 'replace')); o += 1 + n
    return '.'.join(labels).lower()
while True:
    h = f.read(16)
    if len(h) < 16: break
    s, us, incl, orig = struct.unpack('<IIII', h)
    d = f.read(incl); t = s + us / (1e9 if nano else 1e6)
    off = 14 if link == 1 else 16 if link == 113 else 0
    if d[off] >> 4 != 4 or d[off+9] != 17: continue
    ihl = (d[off] & 15) * 4; u = off + ihl
    sp, dp = struct.unpack('>HH', d[u:u+4]); dns = u + 8
    if len(d) < dns + 13: continue
    qid = struct.unpack('>H', d[dns:dns+2])[0]; name = qname(d, dns + 12)
    if name.endswith('nx.test'): continue
    if dp == port: qin[(sp, qid)] = t
    elif sp == port and (dp, qid) in qin: lat.append(t - qin.pop((dp, qid)))
lat.sort(); n = len(lat)
if n: print(f"server-side (lo capture), {n} answers, us: p50 {lat[n//2]*1e6:.0f} p90 {lat[int(n*.9)]*1e6:.0f} p99 {lat[int(n*.99)]*1e6:.0f} max {lat[-1]*1e6:.0f}")
