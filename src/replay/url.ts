// The database URL of the MySQL/MariaDB replay (src/replay/mysql.ts): parsed, and kept out of
// every message. No import of the client library here (the state builder and the CLI use it).
import type { ConnectionOptions } from 'mysql2/promise';

export const MYSQL_CONNECT_TIMEOUT_MS = 10_000;

/** An error whose message is safe to show (no URL, no password). */
export class DatabaseUrlError extends Error {}

/**
 * `mysql://user:password@host:port/` (also `mariadb://`); `?socket=/path` for a unix socket. The
 * URL's database is not used: the replay runs in a database of its own.
 */
export function parseDatabaseUrl(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseUrlError('the database URL is not a URL (expected mysql://user:password@host:port/)');
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    const scheme = /^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) ? u.protocol.slice(0, -1) : 'unknown';
    throw new DatabaseUrlError(`the database URL's scheme is ${scheme}: only mysql:// and mariadb:// are supported (PostgreSQL and SQLite replay in embedded engines and need no server)`);
  }
  const socket = u.searchParams.get('socket');
  if (!u.hostname && !socket) throw new DatabaseUrlError('the database URL has no host');
  const opts: ConnectionOptions = {
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  };
  if (socket) opts.socketPath = socket;
  else {
    opts.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    opts.port = u.port ? Number(u.port) : 3306;
  }
  return opts;
}

/** `text` without the URL, its password (raw, decoded, encoded) or its user:password pair. */
export function redactUrl(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join('<database-url>');
  let pw = '';
  try {
    pw = new URL(url).password;
  } catch {
    // not a URL: the whole string is hidden above
  }
  const forms = new Set([pw, safeDecode(pw), encodeURIComponent(safeDecode(pw))].filter((x) => x.length > 0));
  for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join('***');
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

