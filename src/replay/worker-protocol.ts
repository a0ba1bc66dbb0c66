// Messages from the replay worker to src/replay/index.ts. Outcomes stream one by one, so what ran
// before a kill (timeout, memory) is kept.
import type { CatalogSnapshot, ReplayRequest, StatementOutcome } from './types.js';
import type { ReplayAssets } from './assets.js';

export type WorkerMessage =
  | { t: 'start'; id: number }
  | { t: 'outcome'; o: StatementOutcome; judge: boolean }
  | { t: 'before'; file: number; snap: CatalogSnapshot }
  | { t: 'after'; snap: CatalogSnapshot }
  | { t: 'phase'; name: string; ms: number; cpuMs?: number }
  | { t: 'fatal'; limit: 'crash'; detail: string }
  | { t: 'done' };

export type Post = (m: WorkerMessage) => void;

export interface WorkerInput {
  req: ReplayRequest;
  assets: ReplayAssets;
  memoryMb: number;
}

/** CPU time of the process (user + system), ms: wall time misleads on a shared machine. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
}
