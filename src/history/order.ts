// Comparators used by the runners' orderings.

/** Code-unit order (Go's and Rust's byte order for ASCII names, Python's for BMP text). */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Decimal digit strings as unbounded integers (timestamps overflow 2^53). */
export function cmpInt(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length !== y.length ? x.length - y.length : cmpStr(x, y);
}

/**
 * Flyway's MigrationVersion: `_` is read as `.`; parts are compared as BigIntegers, a missing
 * part counts as 0 (`1` = `1.0`), so `1.2` < `1.10` and `1_2` < `1_10`.
 * https://github.com/flyway/flyway/blob/main/flyway-core/src/main/java/org/flywaydb/core/api/MigrationVersion.java
 */
export function cmpDottedVersion(a: string, b: string): number {
  const pa = a.replace(/_/g, '.').split('.').filter((p) => p !== '');
  const pb = b.replace(/_/g, '.').split('.').filter((p) => p !== '');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const c = cmpInt(pa[i] ?? '0', pb[i] ?? '0');
    if (c) return c;
  }
  return 0;
}

/** Topological helpers share this: a stable text for a cycle. */
export function cycleText(ids: string[]): string {
  return [...ids, ids[0]].join(' → ');
}
