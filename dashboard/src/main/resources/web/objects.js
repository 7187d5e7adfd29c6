// Objects: what the nodes' and drivers' stores hold, one row per object with the nodes holding a copy.
import { nav, api, showError, table, bytes, time } from '/app.js';
import { filters } from '/filters.js';

nav();
const el = document.getElementById('objects');
const count = document.getElementById('count');
filters(document.getElementById('filters'), q => api('/api/objects?' + q).then(list => {
  count.textContent = `${list.items.length} shown of ${list.total} matching`;
  table(el, list.items, [
    ['Object', o => o.id], ['Size', o => bytes(o.sizeBytes), 'num'], ['Call site', o => o.callSite ?? '(put or unknown)'],
    ['Owner', o => o.ownerNodeId], ['Job', o => o.ownerJob], ['Copies on', o => o.nodeIds.join(', ')],
    ['Pins', o => o.pins, 'num'], ['Where', o => o.spilled ? 'spilled' : 'in memory'], ['Created', o => time(o.createdAtMs)],
    ['Last used', o => time(o.lastUsedAtMs)],
  ], 'no objects in any store');
}).catch(err => { count.textContent = ''; showError(el, err); }));
const summary = document.getElementById('summary');
api('/api/summary/objects').then(s => table(summary, Object.entries(s.counts), [
  ['Call site', ([name]) => name],
  ['Objects', ([, byState]) => Object.entries(byState).map(([st, n]) => `${st} ${n}`).join(', ')],
], 'no objects')).catch(err => showError(summary, err));
