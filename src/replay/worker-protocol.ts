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
  /** Only with `verifyFacts`: an incremental catalog read that differs from a full one. */
  | { t: 'debug'; detail: string }
  | { t: 'done'; retire?: boolean };

export type Post = (m: WorkerMessage) => void;

/** The worker's start-up data: what it loads once and keeps between requests. */
export interface WorkerInput {
  assets: ReplayAssets;
  memoryMb: number;
}

/** One replay, sent when the worker is idle; it answers with messages ending in `done` or `fatal`. */
export interface WorkerRequest {
  req: ReplayRequest;
}

/** Sent to a new worker that a replay will soon need: load the engine and make a fresh database ahead. */
export interface WarmRequest {
  warm: 'postgresql';
}

/** CPU time of the process (user + system), ms: wall time misleads on a shared machine. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
}
