// Objects: what the nodes' stores hold.
import { nav, api, showError, table, bytes } from '/app.js';

nav();
const el = document.getElementById('objects');
api('/api/objects?limit=500').then(list => table(el, list.items, [
  ['Object', o => o.id], ['Size', o => bytes(o.sizeBytes), 'num'], ['Node', o => o.nodeId], ['Owner job', o => o.ownerJob],
  ['Refs', o => o.refCount, 'num'], ['Pinned', o => o.pinned ? 'yes' : ''], ['Spilled', o => o.spilled ? 'yes' : ''],
], 'no objects')).catch(err => showError(el, err));
const summary = document.getElementById('summary');
api('/api/summary/objects').then(s => table(summary, Object.entries(s.counts), [
  ['Job', ([name]) => name],
  ['Objects', ([, byState]) => Object.entries(byState).map(([st, n]) => `${st} ${n}`).join(', ')],
], 'no objects')).catch(err => showError(summary, err));
