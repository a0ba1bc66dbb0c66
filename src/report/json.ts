import type { Result } from '../types.js';

export function toJson(result: Result & { history?: unknown }): string {
  return JSON.stringify(result, null, 2) + '\n';
}
