// Tasks: filter by state, function and node; failed ones show their error.
import { nav, api, showError, table, ms, time } from '/app.js';
import { filters } from '/filters.js';

nav();
const el = document.getElementById('tasks');
const count = document.getElementById('count');
filters(document.getElementById('filters'), q => api('/api/tasks?' + q).then(list => {
  count.textContent = `${list.items.length} shown of ${list.total} matching` + (list.dropped ? `; ${list.dropped} older records dropped` : '');
  table(el, list.items, [
    ['Task', t => t.id], ['Function', t => t.functionName], ['State', t => t.state, t => 'status-' + t.state],
    ['Node', t => t.nodeId], ['Worker', t => t.workerThread], ['Job', t => t.jobId], ['Attempt', t => t.attempt, 'num'],
    ['Submitted', t => time(t.submittedAtMs)], ['Queued', t => ms(t.queueNs), 'num'], ['Ran', t => ms(t.runNs), 'num'],
    ['Error', t => t.error, 'error'],
  ], 'no tasks');
}).catch(err => { count.textContent = ''; showError(el, err); }));

const summary = document.getElementById('summary');
api('/api/summary/tasks').then(s => table(summary, Object.entries(s.counts), [
  ['Function', ([name]) => name],
  ['By state', ([, byState]) => Object.entries(byState).map(([st, n]) => `${st} ${n}`).join(', ')],
], 'no tasks')).catch(err => showError(summary, err));
