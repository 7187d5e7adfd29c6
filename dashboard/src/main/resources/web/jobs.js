// Jobs: every driver's run the head knows (running, and recently ended), each linked to its logs.
import { nav, api, showError, table, time, logsLink } from '/app.js';

nav();
const el = document.getElementById('jobs');
api('/api/jobs').then(jobs => table(el, jobs, [
  ['Job', j => j.id], ['Driver', j => j.driver], ['State', j => j.state, j => 'status-' + j.state],
  ['Started', j => time(j.startedAtMs)], ['Ended', j => time(j.endedAtMs)], ['', j => logsLink('job', j.id)],
], 'no jobs')).catch(err => showError(el, err));
