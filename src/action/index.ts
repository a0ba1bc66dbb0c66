// Entry point of the bundled action (dist/index.js). run() reports every failure through one core.setFailed.
import * as core from '@actions/core';
import { run } from './main.js';

// Fail closed: if the process ends before run() settles (the event loop ran dry while a promise
// was still pending), Node would exit 0 and the job would pass without a review.
let settled = false;
process.on('exit', () => {
  if (settled) return;
  core.setFailed('migration-gate: internal error: the run stopped before it finished (an operation never completed); nothing was verified');
  process.exitCode = 1;
});

void run().finally(() => {
  settled = true;
});
