// Timeline: a link to the Chrome trace of the tasks (of one job, or all).
import { nav, api, showError } from '/app.js';

nav();
const form = document.getElementById('filters');
const link = document.getElementById('download');
const el = document.getElementById('timeline');
const update = () => {
  const job = form.elements.job.value.trim();
  link.href = '/api/timeline' + (job ? '?job=' + encodeURIComponent(job) : '');
};
form.elements.job.addEventListener('input', update);
form.addEventListener('submit', e => e.preventDefault());
update();
api('/api/timeline').then(t => {
  el.textContent = `${t.traceEvents.length} task slice(s) recorded.`;
  el.className = 'muted';
}).catch(err => showError(el, err));
