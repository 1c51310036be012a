// The dnsgate dashboard: plain JavaScript over the admin API (/admin/*, /rules/explain), nothing
// fetched from anywhere else. The token, when one is set, lives in this tab's sessionStorage only.
'use strict';

const COLORS = { upstream: '#4c78a8', cache: '#72b7b2', stale: '#9ecae9', rewritten: '#b279a2',
  blocked: '#e45756', local: '#54a24b', failed: '#f58518', refused: '#bab0ac', 'rate-limited': '#eeca3b',
  'any-minimal': '#d6d6d6' };
const REFRESH_MS = Number(new URLSearchParams(location.search).get('refresh') || 2000);
const $ = id => document.getElementById(id);

function headers() {
  const token = sessionStorage.getItem('dnsgate-token');
  return token ? { Authorization: 'Bearer ' + token } : {};
}

async function api(method, path) {
  const response = await fetch(path, { method, headers: headers(), cache: 'no-store' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(response.status + ': ' + (body.error || response.statusText));
  }
  $('error').hidden = true;
  return body;
}

function showError(e) {
  $('error').textContent = e.message;
  $('error').hidden = false;
}

const percent = x => (100 * x).toFixed(1) + ' %';
const span = sec => sec % 3600 === 0 ? sec / 3600 + ' h' : sec % 60 === 0 ? sec / 60 + ' min' : sec + ' s';

function list(id, entries, key) {
  const ol = $(id);
  ol.replaceChildren(...entries.map(e => {
    const li = document.createElement('li');
    li.textContent = e[key] + ' — ' + e.count;
    return li;
  }));
}

function chart(series) {
  const svg = $('chart');
  const width = 960, height = 170, max = Math.max(1, ...series.map(p => p.total));
  const w = width / series.length;
  const parts = [];
  series.forEach((point, i) => {
    let y = height;
    for (const [source, n] of Object.entries(point.by_source)) {
      if (!n) continue;
      const h = n / max * (height - 10);
      y -= h;
      parts.push(`<rect x="${(i * w).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}"`
        + ` height="${h.toFixed(1)}" fill="${COLORS[source] || '#888'}"><title>${point.start} ${source}: ${n}</title></rect>`);
    }
  });
  parts.push(`<text x="4" y="14" font-size="12" fill="#5b6474">max ${max} per bucket</text>`);
  svg.innerHTML = parts.join('');
  $('legend').innerHTML = Object.entries(COLORS)
    .map(([s, c]) => `<span><i style="background:${c}"></i>${s}</span>`).join('');
}

function pauseState(pause) {
  const badge = $('blocking-state');
  badge.textContent = 'blocking: ' + pause.blocking;
  badge.className = 'badge' + (pause.blocking === 'on' ? '' : ' paused');
  $('pause-detail').textContent = pause.pauses.map(p => (p.rule === '*' ? 'all rules' : p.rule)
    + (p.until ? ' until ' + new Date(p.until).toLocaleTimeString() : ' until resumed')).join(', ');
}

async function refreshStats() {
  const s = await api('GET', '/admin/stats?top=10');
  $('total').textContent = s.total;
  for (const k of ['blocked', 'local', 'cached', 'forwarded']) {
    $('share-' + k).textContent = percent(s.shares[k]);
  }
  $('window').textContent = `(last ${span(s.window_seconds)}, ${span(s.bucket_seconds)} buckets)`;
  chart(s.series);
  list('top-names', s.top_names.entries, 'name');
  list('top-blocked', s.top_blocked.entries, 'name');
  list('top-clients', s.top_clients.entries, 'client');
  $('upstreams').replaceChildren(...s.upstreams.map(u => {
    const li = document.createElement('li');
    li.textContent = `${u.group} ${u.server}: ${u.state}` + (u.latency_ms == null ? '' : ` ${u.latency_ms.toFixed(1)} ms`);
    return li;
  }));
  pauseState(s.pause);
}

async function refreshQueries() {
  const q = new URLSearchParams({ limit: 50 });
  for (const [param, id] of [['name', 'q-name'], ['client', 'q-client'], ['source', 'q-source'], ['rcode', 'q-rcode']]) {
    if ($(id).value.trim()) q.set(param, $(id).value.trim());
  }
  const body = await api('GET', '/admin/queries?' + q);
  $('queries').replaceChildren(...body.queries.map(e => {
    const tr = document.createElement('tr');
    for (const v of [new Date(e.time).toLocaleTimeString(), e.client, e.name, e.type, e.source, e.decided_by, e.rcode, e.latency_ms.toFixed(2)]) {
      const td = document.createElement('td');
      td.textContent = v == null ? '' : v;
      tr.appendChild(td);
    }
    tr.children[4].className = e.source;
    return tr;
  }));
}

async function refresh() {
  try {
    await refreshStats();
    await refreshQueries();
  } catch (e) {
    showError(e);
  }
}

$('token-form').addEventListener('submit', ev => {
  ev.preventDefault();
  sessionStorage.setItem('dnsgate-token', $('token').value.trim());
  $('token').value = '';
  refresh();
});
$('search').addEventListener('submit', ev => { ev.preventDefault(); refreshQueries().catch(showError); });
$('pause').addEventListener('click', () => {
  const d = $('pause-duration').value;
  api('POST', '/admin/pause' + (d ? '?duration=' + encodeURIComponent(d) : '')).then(pauseState).catch(showError);
});
$('resume').addEventListener('click', () => api('DELETE', '/admin/pause').then(pauseState).catch(showError));
$('explain').addEventListener('submit', ev => {
  ev.preventDefault();
  const q = new URLSearchParams({ name: $('explain-name').value.trim(), type: $('explain-type').value.trim() || 'A' });
  if ($('explain-client').value.trim()) q.set('client', $('explain-client').value.trim());
  api('GET', '/rules/explain?' + q)
    .then(body => { $('explain-out').textContent = JSON.stringify(body, null, 2); })
    .catch(e => { $('explain-out').textContent = e.message; });
});

refresh();
setInterval(refresh, REFRESH_MS);
