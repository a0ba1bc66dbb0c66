// Python code that does more than talk to the database: processes, exec/eval, dynamic imports,
// network, file writes, unsafe deserialization, encoded payloads, introspection escapes. Names
// are resolved through imports and aliases (`from os import system as s`, `import subprocess`
// inside a function, `s = os.system`, `__import__("os")`, `getattr(os, "system")`), anywhere in
// the file: module level, any function, upgrade or downgrade (code execution gates either way).
import type { PyAnalyzer } from './analyzer.js';
import type { FnInfo } from './scope.js';
import { children } from './scope.js';
import type { PyNode } from './source.js';
import type { Severity } from '../types.js';

interface Danger {
  re: RegExp;
  what: string;
}

/** Qualified names (after alias resolution) that are dangerous to reference at all. */
const DANGERS: Danger[] = [
  { re: /^os\.(system|popen\d?|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?|fork|forkpty|startfile|kill|killpg|plock)$/, what: 'runs a process or signals one' },
  { re: /^(subprocess|pty|commands|pexpect|sh|plumbum|fabric|invoke|popen2)(\.|$)/, what: 'runs a process' },
  { re: /^asyncio\.(create_subprocess_\w+|subprocess)$/, what: 'runs a process' },
  { re: /^platform\.popen$/, what: 'runs a process' },
  { re: /^builtins\.(exec|eval|compile|execfile)$/, what: 'executes code built at run time' },
  { re: /^builtins\.(__import__|breakpoint)$/, what: 'imports or runs code dynamically' },
  { re: /^builtins\.__builtins__$/, what: 'reaches the builtins (exec/eval/__import__) dynamically' },
  { re: /^(importlib|imp|runpy|zipimport|pkgutil)(\.|$)/, what: 'imports or runs code dynamically' },
  { re: /^(ctypes|cffi|_ctypes)(\.|$)/, what: 'calls native code' },
  { re: /^code\.(interact|InteractiveInterpreter|InteractiveConsole|compile_command)$/, what: 'executes code built at run time' },
  { re: /^types\.(FunctionType|CodeType)$/, what: 'builds executable code at run time' },
  { re: /^sys\.modules$/, what: 'looks up modules dynamically' },
  { re: /^(socket|socketserver|ssl|asyncore|asynchat)(\.|$)/, what: 'opens network connections' },
  { re: /^urllib\.(request|urlopen|urlretrieve)(\.|$)|^urllib2(\.|$)|^urllib3(\.|$)/, what: 'makes network requests' },
  { re: /^(requests|httpx|aiohttp|httplib2|httplib|pycurl|websocket|websockets|grpc|paramiko|fabric|ftplib|smtplib|telnetlib|poplib|imaplib|nntplib|xmlrpc)(\.|$)/, what: 'makes network requests' },
  { re: /^http\.(client|server)(\.|$)/, what: 'makes network requests' },
  { re: /^asyncio\.(open_connection|start_server|open_unix_connection)$/, what: 'opens network connections' },
  { re: /^os\.(remove|unlink|rmdir|removedirs|rename|renames|replace|chmod|lchmod|chown|lchown|truncate|ftruncate|write|symlink|link|mkfifo|mknod|open|putenv|unsetenv)$/, what: 'changes files or the process environment' },
  { re: /^shutil\.(rmtree|move|copy\w*|chown|make_archive|unpack_archive)$/, what: 'changes files' },
  { re: /^pathlib\.\w*Path\(\)\.(write_text|write_bytes|unlink|rmdir|touch|chmod|lchmod|rename|replace|symlink_to|hardlink_to|link_to|mkdir|open)$/, what: 'changes files' },
  { re: /^(pickle|cPickle|_pickle|dill|cloudpickle|joblib)\.(loads?|Unpickler|load_\w+)$/, what: 'deserializes data that can run code (pickle)' },
  { re: /^marshal\.loads?$/, what: 'deserializes code objects (marshal)' },
  { re: /^shelve\.open$/, what: 'deserializes pickled data (shelve)' },
  { re: /^jsonpickle\.(decode|loads?)$/, what: 'deserializes data that can run code (jsonpickle)' },
  { re: /^yaml\.(unsafe_load|unsafe_load_all)$/, what: 'deserializes YAML that can build arbitrary objects' },
];

/** Decoders of encoded payloads: severity depends on what is decoded (a literal blob is a red flag). */
const DECODERS = /^(base64\.(b64decode|b32decode|b32hexdecode|b16decode|b85decode|a85decode|decodebytes|decodestring|urlsafe_b64decode|standard_b64decode)|binascii\.(a2b_\w+|unhexlify)|codecs\.decode|zlib\.decompress|bz2\.decompress|lzma\.decompress|gzip\.decompress|builtins\.bytes\.fromhex)$/;

/** Attribute names used to escape to arbitrary code through introspection. */
const INTROSPECTION = new Set(['__subclasses__', '__globals__', '__code__', '__builtins__', '__loader__', '__reduce__', '__reduce_ex__', 'f_globals', 'f_builtins', 'gi_frame', 'func_globals']);

/** What well-known Django management commands do, for the message. */
const MANAGEMENT: Record<string, string> = {
  flush: 'deletes every row of every table',
  sqlflush: 'prints the SQL that empties every table',
  reset_db: 'drops and re-creates the whole database',
  reset_schema: 'drops and re-creates the schema',
  migrate: 'applies (or unapplies) other migrations',
  loaddata: 'overwrites rows with fixture data (rows with the same primary key are replaced)',
  dumpdata: 'dumps the database contents',
  createsuperuser: 'creates a superuser',
  changepassword: 'changes a password',
  shell: 'runs Python code',
  dbshell: 'runs the database shell',
  runscript: 'runs a script',
  clearsessions: 'deletes session rows',
  remove_stale_contenttypes: 'deletes content types and the rows (permissions, generic relations) that cascade from them',
  squashmigrations: 'rewrites migration files',
};

const OPEN = /^(builtins\.open|io\.open|codecs\.open|os\.fdopen|io\.FileIO|tempfile\.\w+)$/;

export function scanExecution(a: PyAnalyzer): void {
  const hits = a.facts.execution;
  const seen = new Set<string>();
  const usedRoots = new Set<string>();
  const add = (node: PyNode, message: string, severity: Severity = 'error', root?: string) => {
    const h = a.hitAt(node, message, { severity });
    const k = `${h.line}:${h.column}:${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    hits.push(h);
    a.facts.stats.execution++;
    if (root) usedRoots.add(root);
  };
  const rootOf = (q: string) => q.split('.')[0].replace(/\(\)$/, '');

  const visit = (n: PyNode, scope: FnInfo): void => {
    if (n.nodeType === 'FunctionDef' || n.nodeType === 'AsyncFunctionDef' || n.nodeType === 'Lambda') {
      const inner = a.scopes.info(n) ?? scope;
      const body: PyNode[] = n.nodeType === 'Lambda' ? [n.body] : (n.body ?? []);
      const inBody = new Set(body);
      for (const c of children(n)) if (!inBody.has(c)) visit(c, scope);
      for (const c of body) visit(c, inner);
      return;
    }
    if (n.nodeType === 'Call') {
      const q = a.qual(n.func, scope) ?? '';
      if (OPEN.test(q)) {
        const mode = a.arg(n, 1, 'mode');
        const flags = q === 'os.fdopen' || q.startsWith('tempfile.');
        const m = mode ? a.fold(mode, scope) : undefined;
        if (flags || (mode && (!m || !m.ok || /[wax+]/.test(m.str.text)))) {
          add(n, `\`${a.src.brief(n, 60)}\` opens a file for writing (${m?.ok ? `mode '${m.str.text}'` : 'mode computed at run time'}); a migration should not write files on the machine that runs it.`, 'error', rootOf(q));
        }
      } else if (DECODERS.test(q)) {
        const arg = n.args?.[0];
        const literal = !!arg && a.fold(arg, scope).ok;
        add(
          n,
          `\`${a.src.brief(n, 60)}\` decodes an encoded payload${literal ? ' embedded in the file' : ''}: ${literal ? 'hidden code or data is a common way to slip something past review' : 'check what is decoded and what uses it'}.`,
          literal ? 'error' : 'warning',
          rootOf(q),
        );
      } else if (/^django\.core\.management\.(call_command|execute_from_command_line|ManagementUtility)$/.test(q)) {
        // A management command run from a migration runs with the deploy credentials, outside the
        // migration's transaction and schema-change review (django/core/management/__init__.py).
        const first = n.args?.[0];
        const cmd = first && q.endsWith('call_command') ? a.fold(first, scope) : undefined;
        const name = cmd?.ok ? cmd.str.text : undefined;
        const what = name ? (MANAGEMENT[name] ?? 'runs a management command') : 'runs a management command chosen at run time';
        add(n, `\`${a.src.brief(n, 60)}\` ${what}${name ? ` (\`${name}\`)` : ''}: a migration runs it on every database it is applied to, with the deploy credentials.`, 'error', 'django');
      } else if (/^yaml\.load(_all)?$/.test(q)) {
        const loader = a.arg(n, 1, 'Loader');
        const lq = loader ? (a.qual(loader, scope) ?? '') : '';
        if (!/(Safe|CSafe|Base)Loader$/.test(lq)) add(n, `\`${a.src.brief(n, 60)}\` loads YAML without SafeLoader: it can build arbitrary Python objects.`, 'error', 'yaml');
      } else if (q === 'builtins.getattr' || q === 'builtins.setattr') {
        const target = n.args?.[0];
        const tq = target ? a.qual(target, scope) : undefined;
        const attr = n.args?.[1];
        const lit = attr ? a.fold(attr, scope) : undefined;
        const isModule = target?.nodeType === 'Name' && a.scopes.imports.has(target.id);
        if ((isModule || tq === 'builtins.__builtins__') && (!lit || !lit.ok)) {
          add(n, `\`${a.src.brief(n, 60)}\` looks up an attribute of module ${tq ?? '?'} by a name computed at run time: it can reach any function (os.system, exec, …).`, 'error', tq ? rootOf(tq) : undefined);
        } else if (lit?.ok && tq) {
          const full = `${tq}.${lit.str.text}`;
          const d = DANGERS.find((x) => x.re.test(full));
          if (d) add(n, `\`${a.src.brief(n, 60)}\` (${full}) ${d.what}: a migration should only change the database.`, 'error', rootOf(full));
        }
      } else if (/^builtins\.(globals|locals|vars)$/.test(q) && n.args?.length === 0) {
        // harmless on its own; subscripting it is caught below
      }
    }
    if (n.nodeType === 'Subscript' && n.value?.nodeType === 'Call') {
      const q = a.qual(n.value.func, scope) ?? '';
      if (/^builtins\.(globals|locals|vars)$/.test(q)) add(n, `\`${a.src.brief(n, 60)}\` looks up a name dynamically through ${q.slice(9)}(): it can reach any function.`);
    }
    if (n.nodeType === 'Name' || n.nodeType === 'Attribute' || n.nodeType === 'Subscript') {
      if (n.nodeType === 'Attribute' && INTROSPECTION.has(n.attr)) {
        add(n, `\`${a.src.brief(n, 60)}\` uses ${n.attr}, an introspection path to arbitrary code.`);
      }
      const q = importDerived(a, n, scope) && !viaReportedName(a, n, scope) ? a.qual(n, scope) : undefined;
      if (q) {
        const d = DANGERS.find((x) => x.re.test(q));
        if (d) {
          const shown = a.src.brief(n, 60);
          add(n, `\`${shown}\`${shown === q ? '' : ` (${q})`} ${d.what}: a migration should only change the database.`, 'error', rootOf(q));
          return; // the reference chain is reported once, at its outermost match
        }
      }
    }
    for (const c of children(n)) visit(c, scope);
  };
  for (const s of a.module.body ?? []) visit(s, a.scopes.module);

  // Imports of dangerous modules or names that no resolved use accounts for
  // (`from subprocess import *`, an alias used in ways the resolver cannot follow).
  for (const imp of a.scopes.allImports) {
    const d = DANGERS.find((x) => x.re.test(imp.target) || x.re.test(imp.target.split('.')[0]));
    if (!d) continue;
    if (usedRoots.has(rootOf(imp.target))) continue;
    add(imp.node, `imports ${imp.target}${imp.local !== imp.target ? ` as ${imp.local}` : ''}, which ${d.what}: a migration should only change the database.`);
  }
  for (const st of a.scopes.starImports) {
    const d = DANGERS.find((x) => x.re.test(st.module) || x.re.test(`${st.module}.system`) || x.re.test(`${st.module}.run`));
    if (d) add(st.node, `\`from ${st.module} import *\` brings in functions that ${d.what}; every bare name may be one of them.`);
  }
}

/**
 * Does a reference resolve through an import, a builtin or an assignment (as opposed to an
 * undefined bare name, whose "qualified name" is just itself and means nothing)?
 */
function importDerived(a: PyAnalyzer, n: PyNode, scope: FnInfo): boolean {
  let base = n;
  for (let i = 0; i < 50; i++) {
    if (base.nodeType === 'Attribute' || base.nodeType === 'Subscript') base = base.value;
    else if (base.nodeType === 'Call') base = base.func;
    else break;
  }
  if (base.nodeType !== 'Name') return false;
  if (a.scopes.imports.has(base.id) || a.scopes.starImports.length) return true;
  const q = a.qual(base, scope);
  return !!q && q !== base.id;
}

/**
 * One finding per call chain: a reference through a variable whose assigned value is itself a
 * danger (`m = importlib.import_module(x)`, then `m.a()`, `m.b()`) was reported where the value was
 * assigned; an assignment target (`m = …`) is the value's finding too.
 */
function viaReportedName(a: PyAnalyzer, n: PyNode, scope: FnInfo): boolean {
  let base = n;
  for (let i = 0; i < 50; i++) {
    if (base.nodeType === 'Attribute' || base.nodeType === 'Subscript') base = base.value;
    else if (base.nodeType === 'Call') base = base.func;
    else break;
  }
  if (base.nodeType !== 'Name' || a.scopes.imports.has(base.id)) return false;
  if (base === n && (n.ctx?.nodeType === 'Store' || n.ctx?.nodeType === 'Del')) return true;
  const v = a.scopes.valueOf(base.id, scope);
  if (!v || v.node.nodeType === 'LoopVar' || v.node.nodeType.endsWith('FunctionDef') || v.node.nodeType === 'ClassDef') return false;
  const q = a.qual(v.node, v.scope);
  return !!q && DANGERS.some((d) => d.re.test(q));
}
