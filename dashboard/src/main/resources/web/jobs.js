// Jobs: those submitted through the jobs API (tessera job submit), then every other driver's run the head knows,
// each linked to its logs.
import { nav, api, showError, table, time, logsLink } from '/app.js';

nav();
const el = document.getElementById('jobs');
api('/api/jobs').then(jobs => table(el, jobs, [
  ['Submission', j => j.submissionId ?? '-'], ['Job', j => j.jobId], ['Status', j => j.status, j => 'status-' + j.status],
  ['Main class', j => j.mainClass ?? ''], ['Started', j => time(j.startTimeMs)], ['Ended', j => time(j.endTimeMs)],
  ['Exit', j => j.exitCode ?? ''], ['Message', j => j.message], ['', j => logsLink('job', j.jobId)],
], 'no jobs')).catch(err => showError(el, err));
