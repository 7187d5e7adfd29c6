// Metrics: CPU, GPU, memory and object store use over time, per node, live from /api/events.
import { nav, api, showError } from '/app.js';
import { UseChart } from '/charts.js';

nav();
const charts = [['cpu', 'CPU in use'], ['gpu', 'GPU in use'], ['memory', 'Memory (resource) in use'], ['store', 'Object store in use']]
  .map(([id, title]) => new UseChart(document.getElementById(id), title, id));
api('/api/metrics/history').then(h => charts.forEach(c => c.load(h)))
  .catch(err => showError(document.getElementById('cpu'), err));
new EventSource('/api/events').addEventListener('overview', e => {
  const o = JSON.parse(e.data);
  if (!o.error) charts.forEach(c => c.push(o.sample));
});
