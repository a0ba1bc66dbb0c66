// extract: a file's bytes → its kind, dialect and SQL units (with positions), plus notes about
// the file itself (binary, invalid UTF-8, templated, not understood).
import { LineMap } from '../position.js';
import type { Dialect, FileKind, Position, Severity, SourceFile, SqlUnit } from '../types.js';
import { detectDialect, unsupportedDialect } from './dialect.js';
import { classify } from './kind.js';
import { extractSql } from './sql.js';
import { extractPython } from './python.js';
import { extractConfig } from './config-file.js';

/** A finding the extract stage itself reports (by rule id; the rule's meta gives its category). */
export interface Note {
  ruleId: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  severity?: Severity;
  down?: boolean;
  snippet?: string;
  secrets?: string[];
  key?: string;
}

export interface Extracted {
  path: string;
  kind: FileKind;
  dialect: Dialect | null;
  /** Decoded text of the file (NULs replaced by spaces). */
  text: string;
  lines: LineMap;
  units: SqlUnit[];
  notes: Note[];
  /** Kind-specific models for file-level rules (e.g. the Python migration model). */
  facts: Record<string, unknown>;
}

export interface ExtractOptions {
  /** Dialect forced by the user (--dialect): wins over every hint. */
  dialect?: Dialect;
  /** Dialect when nothing else says (config `dialect`), default postgresql. */
  defaultDialect?: Dialect;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8', { fatal: false });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function decode(content: Uint8Array | string): { text: string; invalidUtf8: boolean; nul: boolean } {
  let text: string;
  let invalidUtf8 = false;
  if (typeof content === 'string') {
    // Unpaired UTF-16 surrogates (only a string given by a caller can hold them) are not text:
    // replaced one for one (offsets kept) and reported like invalid UTF-8.
    text = content.replace(LONE_SURROGATE, () => {
      invalidUtf8 = true;
      return '\uFFFD';
    });
  } else {
    try {
      text = decoder.decode(content);
    } catch {
      invalidUtf8 = true;
      text = lossy.decode(content);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // BOM: keep offsets
  const nul = text.includes('\0');
  if (nul) text = text.replace(/\0/g, ' ');
  return { text, invalidUtf8, nul };
}

export function extract(file: SourceFile, opts: ExtractOptions = {}): Extracted {
  const { text, invalidUtf8, nul } = decode(file.content);
  const lines = new LineMap(text);
  const kind = classify(file.path, text);
  const notes: Note[] = [];
  const at: Position = { line: 1, column: 1 };
  if (nul) {
    notes.push({ ruleId: 'parse-error', ...at, message: 'File contains NUL bytes (binary data?): it could not be verified and was scanned as text.' });
  }
  if (invalidUtf8) {
    notes.push({ ruleId: 'parse-error', ...at, message: 'File is not valid UTF-8: it could not be verified and was scanned with invalid bytes replaced.' });
  }
  const ex: Extracted = { path: file.path, kind, dialect: null, text, lines, units: [], notes, facts: {} };
  // A dialect no parser here reads (ClickHouse, H2, …) named by the path: reported, never parsed as another one.
  const unsupported = kind !== 'config' && !opts.dialect && !file.dialectHint ? unsupportedDialect(file.path) : null;
  if (unsupported && (kind === 'sql' || kind === 'prisma' || kind === 'liquibase')) {
    notes.push({
      ruleId: 'parse-error',
      ...at,
      message: `The path names ${unsupported}, a SQL dialect migration-gate cannot parse: the file could not be verified (use --dialect or \`dialect:\` in the config if it is really another dialect).`,
    });
    return ex;
  }
  switch (kind) {
    case 'sql':
    case 'prisma':
    case 'liquibase':
      ex.dialect = opts.dialect ?? file.dialectHint ?? detectDialect(file.path, text) ?? opts.defaultDialect ?? 'postgresql';
      extractSql(ex);
      break;
    case 'alembic':
    case 'django':
    case 'python':
      // Dialect from the path as for SQL files (`versions/sqlite/…`); the SQL inside a Python
      // migration for an unsupported engine is a parse error (the python extractor's units).
      ex.dialect = opts.dialect ?? file.dialectHint ?? detectDialect(file.path, text) ?? opts.defaultDialect ?? 'postgresql';
      if (unsupported) {
        notes.push({
          ruleId: 'parse-error',
          ...at,
          message: `The path names ${unsupported}, a SQL dialect migration-gate cannot parse: the SQL in this file could not be verified.`,
        });
      }
      extractPython(ex);
      if (unsupported) ex.units = [];
      break;
    case 'config':
      extractConfig(ex);
      break;
    default:
      notes.push({
        ruleId: 'parse-error',
        ...at,
        message: 'File was selected as a migration but its kind is not understood: it could not be verified.',
      });
  }
  return ex;
}

/** Replace every character of [start, end) except newlines by a space (keeps offsets and lines). */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}
