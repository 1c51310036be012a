import sys, re
path, port, dot = sys.argv[1], sys.argv[2], sys.argv[3]
ev = []
for line in open(path):
    f = line.split()
    t = float(f[0])
    if f[1] != 'IP': continue
    src, dst = f[2], f[4].rstrip(':')
    m = re.search(r'length (\d+)', line)
    ln = int(m.group(1)) if m else 0
    if 'UDP' in line or ('.%s' % port) in src + dst and 'Flags' not in line:
        if dst.endswith('.' + port): ev.append((t, 'q'))
        elif src.endswith('.' + port): ev.append((t, 'a'))
    elif 'Flags' in line and ln > 0:
        if dst.endswith('.' + dot): ev.append((t, 'uw'))
        elif src.endswith('.' + dot): ev.append((t, 'ur'))
# pair in sequence q -> uw -> ur -> a (queries are sparse at 200 qps)
import statistics
d1, d2, d3, tot = [], [], [], []
i = 0
while i < len(ev) - 3:
    if [e[1] for e in ev[i:i+4]] == ['q', 'uw', 'ur', 'a']:
        q, uw, ur, a = (e[0] for e in ev[i:i+4])
        d1.append((uw-q)*1e6); d2.append((ur-uw)*1e6); d3.append((a-ur)*1e6); tot.append((a-q)*1e6)
        i += 4
    else:
        i += 1
def pc(v, p): v = sorted(v); return v[min(len(v)-1, int(len(v)*p))]
for name, v in (('query->upstream write', d1), ('upstream', d2), ('upstream answer->client answer', d3), ('total', tot)):
    print(f'{name:32s} n={len(v)} p50={pc(v,.5):7.1f} p90={pc(v,.9):7.1f} p99={pc(v,.99):7.1f} us')
rows = sorted(zip(tot, d1, d2, d3))
k = max(1, len(rows)//100)
slow = rows[-k:]
print(f'slowest 1% ({k}): mean total {sum(r[0] for r in slow)/k:.0f} us; q->w {sum(r[1] for r in slow)/k:.0f}, upstream {sum(r[2] for r in slow)/k:.0f}, a->c {sum(r[3] for r in slow)/k:.0f}')
