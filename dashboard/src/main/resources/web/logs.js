// Logs: what a job's tasks or an actor printed, or a node's own log, followed live (/api/logs/stream, SSE).
import { nav, api, showError } from '/app.js';
import { filters } from '/filters.js';

nav();
const form = document.getElementById('filters');
const status = document.getElementById('status');
const log = document.getElementById('log');
let stream = null;

// what the id field may name, from the state API
const known = document.getElementById('known');
const offer = (ids, label) => ids.forEach(id => {
  const o = document.createElement('option');
  o.value = id;
  o.label = label;
  known.append(o);
});
form.elements.by.addEventListener('change', fillKnown);
function fillKnown() {
  known.replaceChildren();
  const by = form.elements.by.value;
  if (by === 'job') api('/api/jobs').then(jobs => offer(jobs.map(j => j.id), 'job')).catch(() => {});
  if (by === 'node') api('/api/nodes').then(nodes => offer(nodes.map(n => n.id), 'node')).catch(() => {});
  if (by === 'actor') api('/api/actors?state=ALIVE').then(l => offer(l.items.map(a => a.name || a.id), 'actor')).catch(() => {});
}
fillKnown();

function follow(by, id, tail) {
  if (stream) stream.close();
  log.textContent = '';
  let count = 0;
  const what = `${by} ${id}`;
  // a quick question first: an unknown job, actor or node is refused with the server's message
  api(`/api/logs?${by}=${encodeURIComponent(id)}&tail=0`).then(() => {
    status.textContent = `Following ${what} …`;
    stream = new EventSource(`/api/logs/stream?${by}=${encodeURIComponent(id)}&tail=${tail}`);
    stream.addEventListener('lines', e => {
      const lines = JSON.parse(e.data);
      count += lines.length;
      log.append(lines.join('\n') + '\n');
      status.textContent = `Following ${what} · ${count} line(s) · updated ${new Date().toLocaleTimeString()}`;
      log.scrollTop = log.scrollHeight;
    });
    stream.addEventListener('failed', e => { status.textContent = `Following ${what}: ${JSON.parse(e.data)}`; });
  }).catch(err => showError(log, err));
}

filters(form, () => {
  const id = form.elements.id.value.trim();
  if (id) follow(form.elements.by.value, id, form.elements.tail.value || 200);
});
