// Jobs: every driver's run the head knows.
import { nav, api, showError, table, time } from '/app.js';

nav();
const el = document.getElementById('jobs');
api('/api/jobs').then(jobs => table(el, jobs, [
  ['Job', j => j.id], ['Driver', j => j.driver], ['State', j => j.state, j => 'status-' + j.state],
  ['Started', j => time(j.startedAtMs)], ['Ended', j => time(j.endedAtMs)],
], 'no jobs')).catch(err => showError(el, err));
