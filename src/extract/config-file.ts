// Config files that may hold credentials. Placeholder until the framework-awareness issue lands:
// fail closed, the file is reported as not verified.
import type { Extracted } from './index.js';

export function extractConfig(ex: Extracted): void {
  ex.notes.push({
    ruleId: 'parse-error',
    line: 1,
    column: 1,
    message: 'Config file scanning is not available yet: the file could not be verified.',
  });
}
