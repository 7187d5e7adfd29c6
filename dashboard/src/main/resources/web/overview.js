// Overview: the nodes with their CPU/GPU/memory/store use and a CPU chart, live from /api/events.
import { nav, api, showError, table, use, bar, bytes } from '/app.js';
import { UseChart } from '/charts.js';

nav();
const status = document.getElementById('status');
const nodesEl = document.getElementById('nodes');
const chart = new UseChart(document.getElementById('chart'), 'CPU in use, per node', 'cpu');

function showNodes(nodes) {
  const alive = nodes.filter(n => n.alive).length;
  status.textContent = `${alive} node(s) alive, ${nodes.length - alive} dead · updated ${new Date().toLocaleTimeString()}`;
  table(nodesEl, nodes, [
    ['Node', n => n.id + (n.head ? ' (head)' : '')],
    ['Address', n => n.address],
    ['State', n => n.alive ? 'alive' : 'dead', n => n.alive ? 'alive' : 'dead'],
    ['CPU', n => use(n, 'CPU')],
    ['GPU', n => use(n, 'GPU')],
    ['Memory', n => use(n, 'memory', bytes)],
    ['Object store', n => n.storeBytesTotal > 0
      ? bar(n.storeBytesUsed / n.storeBytesTotal, bytes(n.storeBytesUsed) + ' / ' + bytes(n.storeBytesTotal)) : bar(null)],
  ], 'no nodes');
  nodesEl.querySelector('table').id = 'nodes-table';
}

api('/api/metrics/history').then(h => chart.load(h)).catch(err => showError(document.getElementById('chart'), err));
api('/api/nodes').then(showNodes).catch(err => showError(nodesEl, err));

const events = new EventSource('/api/events');
events.addEventListener('overview', e => {
  const o = JSON.parse(e.data);
  if (o.error) {
    status.textContent = 'cannot reach the cluster: ' + o.error;
    return;
  }
  showNodes(o.nodes);
  chart.push(o.sample);
});
events.onerror = () => { status.textContent = 'disconnected from the head; retrying…'; };
