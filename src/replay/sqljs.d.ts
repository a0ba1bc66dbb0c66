// The part of sql.js (no bundled types) the replay worker uses.
declare module 'sql.js' {
  export interface QueryExecResult {
    columns: string[];
    values: unknown[][];
  }
  export interface Database {
    exec(sql: string): QueryExecResult[];
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  export default function initSqlJs(config?: { wasmBinary?: ArrayBuffer; locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
}
