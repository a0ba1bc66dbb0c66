// The review record: what the action reviewed on a pull request, as one commit status on the PR
// head that the deploy-time `migration-gate verify` reads back. Pure functions (no GitHub, no I/O),
// shared by the action (which writes the record) and the CLI (which checks it).
//
// The record is a commit status with context `<status-context>/reviewed` (default
// `migration-gate/reviewed`) on the PR head SHA:
//   state        success only when the gate passed (approvals included); failure when it did not;
//                pending while a review runs; error when a review could not complete.
//   description  `sha256:<hex> <n> files, <verdict>`: the digest covers every file the pull request
//                adds or changes at that head, as `path\0blobsha\n` lines sorted by path (bytewise).
// The digest covers all the PR's files (not only the ones the policy selected as migrations) so
// that the verifier can recompute it from the PR's file list alone, without the base commit's
// policy or this version's default globs.
import { createHash } from 'node:crypto';

export const RECORD_SUFFIX = '/reviewed';
export const DEFAULT_RECORD_CONTEXT = `migration-gate${RECORD_SUFFIX}`;

/** The record's status context for the action's status context. */
export function recordContext(statusContext: string): string {
  return `${statusContext}${RECORD_SUFFIX}`;
}

/** Git's blob object id (SHA-1) of these bytes: `sha1("blob <len>\0" + bytes)`. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export interface RecordEntry {
  path: string;
  blobSha: string;
}

/** SHA-256 of the sorted `path\0blobsha\n` lines (paths compared bytewise as UTF-8). */
export function reviewDigest(entries: readonly RecordEntry[]): string {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const h = createHash('sha256');
  for (const e of sorted) h.update(`${e.path}\0${e.blobSha.toLowerCase()}\n`);
  return h.digest('hex');
}

/** A status description: at most 140 characters (GitHub's limit). */
export function recordDescription(digest: string, files: number, verdict: string): string {
  return `sha256:${digest} ${files} file${files === 1 ? '' : 's'}, ${verdict}`.slice(0, 140);
}

/** The digest a record's description carries, or null. */
export function parseRecordDigest(description: string | null | undefined): string | null {
  const m = /^sha256:([0-9a-f]{64})(?:\s|$)/.exec(description ?? '');
  return m ? m[1] : null;
}
