// madge ships no types; the part of its API tests/architecture.test.ts uses.
declare module 'madge' {
  interface MadgeResult {
    obj(): Record<string, string[]>;
    circular(): string[][];
  }
  export default function madge(path: string | string[], config?: Record<string, unknown>): Promise<MadgeResult>;
}
