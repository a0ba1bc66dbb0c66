// Python migrations (Alembic, Django) and other Python files selected as migrations (env.py):
// parsed with a real Python parser (py-ast; the code is never run). See src/python/.
import { analyzePython } from '../python/index.js';
import type { Extracted } from '../types.js';

export function extractPython(ex: Extracted): void {
  analyzePython(ex);
}
