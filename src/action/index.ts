// Entry point of the bundled action (dist/index.js). run() reports every failure through one core.setFailed.
import { run } from './main.js';

void run();
