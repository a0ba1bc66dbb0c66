import type { ReplayRequest, ReplayResult } from './types.js';
export async function replay(_req: ReplayRequest): Promise<ReplayResult> {
  throw new Error('stub');
}
// Placeholder until the sandbox lands: the engine falls back to the static simulation.
