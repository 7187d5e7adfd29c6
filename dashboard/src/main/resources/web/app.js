// Shared by every page: the navigation bar, JSON fetching with visible errors, tables and bars.
const PAGES = [
  ['/', 'Overview'], ['/jobs.html', 'Jobs'], ['/actors.html', 'Actors'], ['/tasks.html', 'Tasks'],
  ['/objects.html', 'Objects'], ['/logs.html', 'Logs'], ['/metrics.html', 'Metrics'], ['/timeline.html', 'Timeline'],
];

export function nav() {
  const here = location.pathname === '/index.html' ? '/' : location.pathname;
  const header = document.createElement('header');
  header.innerHTML = '<span class="brand">Tessera</span><nav></nav>';
  for (const [href, label] of PAGES) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = label;
    if (href === here) a.className = 'here';
    header.querySelector('nav').append(a);
  }
  document.body.prepend(header);
}

/** GET a JSON API; throws an Error carrying the server's message (and .status) when it is not 2xx. */
export async function api(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const text = await r.text();
  if (!r.ok) {
    let message = text;
    try { message = JSON.parse(text).error || text; } catch (e) { /* plain text */ }
    const err = new Error(message.trim());
    err.status = r.status;
    throw err;
  }
  return JSON.parse(text);
}

/** Shows an API failure in place of the content: 501 as a notice (not implemented yet), others as errors. */
export function showError(el, err) {
  el.replaceChildren();
  const p = document.createElement('div');
  p.className = err.status === 501 ? 'notice' : 'error';
  p.dataset.status = err.status || '';
  p.textContent = (err.status === 501 ? 'Not available yet: ' : 'Error: ') + err.message;
  el.append(p);
}

/** Fills el with a table: columns are [header, row => text or Node, optional class]. */
export function table(el, rows, columns, empty = 'none') {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const [h] of columns) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [, cell, cls] of columns) {
      const td = tr.insertCell();
      const v = cell(row);
      if (v instanceof Node) td.append(v); else td.textContent = v ?? '';
      if (cls) td.className = typeof cls === 'function' ? cls(row) : cls;
    }
  }
  if (rows.length === 0) {
    const td = body.insertRow().insertCell();
    td.colSpan = columns.length;
    td.className = 'muted';
    td.textContent = empty;
  }
  el.replaceChildren(t);
  return t;
}

/** A bar for a share from 0 to 1 with a label; a dash when unknown. */
export function bar(share, label) {
  const wrap = document.createElement('span');
  if (share == null || Number.isNaN(share)) {
    wrap.textContent = '–';
    return wrap;
  }
  wrap.innerHTML = '<span class="bar"><span></span></span><small></small>';
  wrap.querySelector('.bar span').style.width = Math.round(Math.min(1, Math.max(0, share)) * 100) + '%';
  wrap.querySelector('small').textContent = label;
  return wrap;
}

export function bytes(n) {
  if (n == null || n < 0) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

export function ms(ns) {
  return ns ? (ns / 1e6).toFixed(2) + ' ms' : '';
}

export function time(epochMs) {
  return epochMs ? new Date(epochMs).toLocaleString() : '';
}

/** A node's use of a resource: the bar, and "used / total". */
export function use(node, resource, format = v => +v.toFixed(2)) {
  const total = node.resourcesTotal[resource] || 0;
  if (total <= 0) return bar(null);
  const used = Math.max(0, total - (node.resourcesAvailable[resource] ?? total));
  return bar(used / total, format(used) + ' / ' + format(total));
}

/** A link to the logs page following a job, an actor (by name or id) or a node. */
export function logsLink(by, id) {
  const a = document.createElement('a');
  a.href = `/logs.html?by=${by}&id=${encodeURIComponent(id)}`;
  a.textContent = 'logs';
  return a;
}
