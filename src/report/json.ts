import type { Result } from '../types.js';

export function toJson(result: Result): string {
  return JSON.stringify(result, null, 2) + '\n';
}
