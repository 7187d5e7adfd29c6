// Jobs: those submitted through the jobs API (tessera job submit), then every other driver's run the head knows.
import { nav, api, showError, table, time } from '/app.js';

nav();
const el = document.getElementById('jobs');
api('/api/jobs').then(jobs => table(el, jobs, [
  ['Submission', j => j.submissionId ?? '-'], ['Job', j => j.jobId], ['Status', j => j.status, j => 'status-' + j.status],
  ['Main class', j => j.mainClass ?? ''], ['Started', j => time(j.startTimeMs)], ['Ended', j => time(j.endTimeMs)],
  ['Exit', j => j.exitCode ?? ''], ['Message', j => j.message],
], 'no jobs')).catch(err => showError(el, err));
