// Actors: filter by state, class and node.
import { nav, api, showError, table, logsLink } from '/app.js';
import { filters } from '/filters.js';

nav();
const el = document.getElementById('actors');
filters(document.getElementById('filters'), q => api('/api/actors?' + q).then(list => table(el, list.items, [
  ['Actor', a => a.id], ['Name', a => a.name], ['Class', a => a.className],
  ['State', a => a.state, a => 'status-' + a.state], ['Node', a => a.nodeId], ['Job', a => a.jobId],
  ['Restarts', a => a.restarts, 'num'], ['Death cause', a => a.deathCause, 'error'], ['', a => logsLink('actor', a.name || a.id)],
], 'no actors')).catch(err => showError(el, err)));
