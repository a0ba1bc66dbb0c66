// extract: a file's bytes → its kind, dialect and SQL units (with positions), plus notes about
// the file itself (binary, invalid UTF-8, templated, not understood).
import { LineMap } from './position.js';
import type { Dialect, Extracted, FileKind, Note, Position, Severity, SourceFile, SqlUnit } from '../types.js';
export type { Extracted, Note };
import { detectDialect, unsupportedDialect } from './dialect.js';
import { classify } from './kind.js';
import { extractSql } from './sql.js';
import { extractPython } from './python.js';
import { extractConfig } from './config-file.js';
import { decodePythonSource } from '../python/encoding.js';


export interface ExtractOptions {
  /** Dialect forced by the user (--dialect): wins over every hint. */
  dialect?: Dialect;
  /** Dialect when nothing else says (config `dialect`), default postgresql. */
  defaultDialect?: Dialect;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8', { fatal: false });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function decode(content: Uint8Array | string): { text: string; invalidUtf8: boolean; nul: boolean; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } {
  let text: string;
  let invalidUtf8 = false;
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  if (typeof content === 'string') {
    // Unpaired UTF-16 surrogates (only a string given by a caller can hold them) are not text:
    // replaced one for one (offsets kept) and reported like invalid UTF-8.
    text = content.replace(LONE_SURROGATE, () => {
      invalidUtf8 = true;
      return '\uFFFD';
    });
  } else if (content.length >= 2 && ((content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff))) {
    // A UTF-16 byte-order mark: the file is UTF-16, as Windows editors (Notepad, SSMS, Visual
    // Studio "Unicode") save it, and as sqlcmd and SSMS read it. Decoded so its statements are
    // checked (read as UTF-8 it would be NUL-riddled noise); the BOM is kept as U+FEFF for the
    // offset-keeping replacement below. Invalid sequences (an odd length, lone surrogates) are
    // reported like invalid UTF-8.
    const enc = content[0] === 0xff ? 'utf-16le' : 'utf-16be';
    encoding = enc;
    try {
      text = new TextDecoder(enc, { fatal: true, ignoreBOM: true }).decode(content);
    } catch {
      invalidUtf8 = true;
      text = new TextDecoder(enc, { fatal: false, ignoreBOM: true }).decode(content);
    }
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
  return { text, invalidUtf8, nul, encoding };
}

export function extract(file: SourceFile, opts: ExtractOptions = {}): Extracted {
  const { text, invalidUtf8, nul, encoding } = decode(file.content);
  const lines = new LineMap(text);
  const kind = classify(file.path, text);
  const notes: Note[] = [];
  const at: Position = { line: 1, column: 1 };
  if (nul) {
    notes.push({ ruleId: 'parse-error', ...at, message: 'File contains NUL bytes (binary data?): it could not be verified and was scanned as text.' });
  }
  if (invalidUtf8) {
    notes.push({ ruleId: 'parse-error', ...at, message: `File is not valid ${encoding.toUpperCase()}: it could not be verified and was scanned with invalid bytes replaced.` });
  }
  if (encoding !== 'utf-8' && (kind === 'alembic' || kind === 'django' || kind === 'python')) {
    // CPython reads source as UTF-8 (PEP 3120; a BOM is recognised only for UTF-8, PEP 263), so
    // it cannot import this file: it would fail at migration time. Checked anyway, as decoded.
    notes.push({ ruleId: 'parse-error', ...at, message: `File is ${encoding.toUpperCase()} (byte-order mark): Python cannot import it (source must be UTF-8); it was checked as decoded.` });
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
    case 'python': {
      // Dialect from the path as for SQL files (`versions/sqlite/…`); the SQL inside a Python
      // migration for an unsupported engine is a parse error (the python extractor's units).
      const known = opts.dialect ?? file.dialectHint ?? detectDialect(file.path, text) ?? opts.defaultDialect;
      ex.dialect = known ?? 'postgresql';
      ex.dialectKnown = known !== undefined;
      if (unsupported) {
        notes.push({
          ruleId: 'parse-error',
          ...at,
          message: `The path names ${unsupported}, a SQL dialect migration-gate cannot parse: the SQL in this file could not be verified.`,
        });
      }
      // CPython's reading of the bytes (BOM, PEP 263 coding cookie), not UTF-8 by default.
      const py = decodePythonSource(file.content);
      const utf8Note = notes.findIndex((n) => n.message.startsWith('File is not valid UTF-8'));
      if (!py.ok) {
        if (utf8Note >= 0) notes.splice(utf8Note, 1);
        notes.push({ ruleId: 'parse-error', line: py.line, column: 1, message: py.message });
        break;
      }
      if (py.text !== text) {
        if (utf8Note >= 0) notes.splice(utf8Note, 1);
        ex.text = py.text.replace(/\0/g, ' ');
        ex.lines = new LineMap(ex.text);
        ex.kind = classify(file.path, ex.text);
      }
      extractPython(ex);
      if (unsupported) ex.units = [];
      break;
    }
    case 'config':
      extractConfig(ex);
      break;
    default:
      notes.push({
        ruleId: 'parse-error',
        ...at,
        message: `File was selected as a migration but its kind is not understood: it could not be verified.${unreadRunner(file.path)}`,
      });
  }
  return ex;
}

/**
 * Why a migration-named file in another language is a migration all the same (the runners that
 * execute it), for the "not understood" finding: the review cannot see what it does.
 */
function unreadRunner(path: string): string {
  const name = path.split('/').pop() ?? path;
  const ext = (/\.([^.]+)$/.exec(name)?.[1] ?? '').toLowerCase();
  if (/^\d+_.*\.(up|down)\.[^.]+$/i.test(name)) return ' golang-migrate runs `<version>_<title>.up|down.<any extension>` files as migrations; its statements are not checked.';
  if (/^[VUR]\d*(\.\d+)*__/i.test(name) || /^R__/i.test(name)) return ` Flyway runs it as a ${ext === 'sql' ? 'SQL' : 'script or custom-suffix'} migration (sqlMigrationSuffixes, script migrations: .sh, .ps1, .py, …); its statements are not checked.`;
  if (ext === 'go') return ' goose registers Go migrations (`<version>_<name>.go`, goose.AddMigration) and runs them with the SQL ones; its statements are not checked.';
  if (['js', 'cjs', 'mjs', 'ts'].includes(ext)) return ' JavaScript/TypeScript migration tools (knex, Sequelize, TypeORM) run such files; the SQL they issue is not checked.';
  return '';
}
