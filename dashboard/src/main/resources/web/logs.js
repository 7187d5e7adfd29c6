// Logs: per node, job or actor (live tail). The head's logs API (/api/logs) is not there yet:
// the page shows what the server says until it is.
import { nav, api, showError } from '/app.js';
import { filters } from '/filters.js';

nav();
const el = document.getElementById('logs');
filters(document.getElementById('filters'), q => api('/api/logs?' + q).then(lines => {
  const pre = document.createElement('pre');
  pre.textContent = lines.join('\n');
  el.replaceChildren(pre);
}).catch(err => showError(el, err)));
