// Python code that creates or promotes administrator accounts (Django's auth API, and the same
// attribute names in any ORM): `User.objects.create_superuser(…)`, `.update(is_superuser=True)`,
// `user.is_staff = True`, `create_user(…, is_superuser=True)`. Facts only: the django-superuser
// rule reports them. A password given as a literal is recorded as a secret (redacted everywhere).
import type { PyAnalyzer } from './analyzer.js';
import type { FnInfo } from './scope.js';
import { children } from './scope.js';
import type { PyNode } from './source.js';

const FLAGS = /^(is_superuser|is_staff|is_admin)$/;
/** Methods whose keyword arguments are a lookup, not values written (`filter(is_staff=True)`). */
const QUERIES = /^(filter|exclude|get|count|exists|first|last|annotate|aggregate|values|values_list|order_by|only|defer|in_bulk|latest|earliest|select_related|prefetch_related|Q)$/;

function isTrue(n: PyNode | undefined): boolean {
  return !!n && n.nodeType === 'Constant' && (n.value === true || n.value === 1);
}

export function scanAccounts(a: PyAnalyzer): void {
  const hits = a.facts.accounts;
  const add = (node: PyNode, scope: FnInfo, message: string, secrets: string[]) => {
    const h = a.hitAt(node, message, { down: a.roleOf(scope) === 'down' });
    hits.push(secrets.length ? { ...h, secrets } : h);
  };
  /** The literal value of a password argument, if it is one (a computed one is not a hardcoded credential). */
  const password = (call: PyNode, scope: FnInfo, index: number): string[] => {
    const p = a.arg(call, index, 'password');
    if (!p || (p.nodeType === 'Constant' && p.value === null)) return [];
    const f = a.fold(p, scope);
    return f.ok && f.str.text ? [f.str.text] : [];
  };
  /** `is_superuser=True` among keywords, or inside `defaults={…}` / `**{…}`. */
  const flagsOf = (call: PyNode): string[] => {
    const out: string[] = [];
    for (const kw of call.keywords ?? []) {
      if (kw.arg && FLAGS.test(kw.arg) && isTrue(kw.value)) out.push(kw.arg);
      const d = kw.value;
      if ((kw.arg === 'defaults' || kw.arg === 'create_defaults' || kw.arg === null || kw.arg === undefined) && d?.nodeType === 'Dict') {
        (d.keys ?? []).forEach((k: PyNode | null, i: number) => {
          if (k?.nodeType === 'Constant' && typeof k.value === 'string' && FLAGS.test(k.value) && isTrue(d.values?.[i])) out.push(k.value);
        });
      }
    }
    return out;
  };
  const visit = (n: PyNode, scope: FnInfo): void => {
    if (n.nodeType === 'FunctionDef' || n.nodeType === 'AsyncFunctionDef' || n.nodeType === 'Lambda') {
      const inner = a.scopes.info(n) ?? scope;
      const body: PyNode[] = n.nodeType === 'Lambda' ? [n.body] : (n.body ?? []);
      const inBody = new Set(body);
      for (const c of children(n)) if (!inBody.has(c)) visit(c, scope);
      for (const c of body) visit(c, inner);
      return;
    }
    if (n.nodeType === 'Call' && n.func?.nodeType === 'Attribute') {
      const m = String(n.func.attr);
      if (m === 'create_superuser') {
        const secrets = password(n, scope, 2);
        add(n, scope, `\`${a.src.brief(n, 70)}\` creates a superuser account (every permission, admin site access)${secrets.length ? ' with a hardcoded password' : ''}: accounts belong to operators, not migrations.`, secrets);
      } else if (m === 'set_password' || m === 'make_password') {
        // `user.set_password('…')`: the literal is a credential (before the check below, which took
        // every non-query method and so never reached this one).
        const f = n.args?.[0] ? a.fold(n.args[0], scope) : undefined;
        if (f?.ok && f.str.text) add(n, scope, `\`${a.src.brief(n, 40)}\` sets a hardcoded password on an account.`, [f.str.text]);
      } else if (!QUERIES.test(m)) {
        const flags = flagsOf(n);
        const secrets = password(n, scope, m === 'create_user' ? 2 : -1);
        if (flags.length) {
          const verb = m === 'update' ? 'promotes existing accounts to' : 'creates or promotes an account as';
          add(n, scope, `\`${a.src.brief(n, 70)}\` ${verb} ${[...new Set(flags)].join(' + ')}${secrets.length ? ' with a hardcoded password' : ''}: an account gains administrator rights through a migration.`, secrets);
        } else if (m === 'create_user' && secrets.length) {
          // A login whose password is in the repository, in every environment the migration runs in.
          add(n, scope, `\`${a.src.brief(n, 70)}\` creates an account with a hardcoded password: anyone who reads the repository can log in as it.`, secrets);
        }
      }
    } else if (n.nodeType === 'Call' && n.func?.nodeType === 'Name' && n.func.id !== 'Q' && n.func.id !== 'make_password' && n.func.id !== 'setattr') {
      // `User(username=…, is_superuser=True)` then `.save()`: a model built with the flag.
      const flags = flagsOf(n);
      if (flags.length) {
        const secrets = password(n, scope, -1);
        add(n, scope, `\`${a.src.brief(n, 70)}\` builds an account as ${[...new Set(flags)].join(' + ')}${secrets.length ? ' with a hardcoded password' : ''}: an account gains administrator rights through a migration.`, secrets);
      }
    }
    if (n.nodeType === 'Call' && /(^|\.)call_command$/.test(a.qual(n.func, scope) ?? '') && n.args?.[0]?.nodeType === 'Constant' && n.args[0].value === 'createsuperuser') {
      add(n, scope, `\`${a.src.brief(n, 70)}\` runs createsuperuser from a migration: a superuser account is created in every environment.`, []);
    }
    if (n.nodeType === 'Call' && n.func?.nodeType === 'Name' && n.func.id === 'make_password') {
      const f = n.args?.[0] ? a.fold(n.args[0], scope) : undefined;
      if (f?.ok && f.str.text) add(n, scope, '`make_password(…)` hashes a hardcoded password for an account.', [f.str.text]);
    }
    if (n.nodeType === 'Assign' || n.nodeType === 'AnnAssign') {
      const targets: PyNode[] = n.nodeType === 'Assign' ? (n.targets ?? []) : [n.target];
      for (const t of targets) {
        if (t?.nodeType === 'Attribute' && FLAGS.test(String(t.attr)) && isTrue(n.value)) {
          add(n, scope, `\`${a.src.brief(n, 70)}\` promotes an account to ${t.attr}: it gains administrator rights through a migration.`, []);
        }
      }
    }
    if (n.nodeType === 'Call' && n.func?.nodeType === 'Name' && n.func.id === 'setattr' && isTrue(n.args?.[2])) {
      // The attribute name folded (`'is_' + 'superuser'`), as Python computes it before setattr runs.
      const f = n.args?.[1] ? a.fold(n.args[1], scope) : undefined;
      const attr = f?.ok ? f.str.text : undefined;
      if (attr && FLAGS.test(attr)) add(n, scope, `\`${a.src.brief(n, 70)}\` promotes an account to ${attr}: it gains administrator rights through a migration.`, []);
    }
    for (const c of children(n)) visit(c, scope);
  };
  for (const s of a.module.body ?? []) visit(s, a.scopes.module);
}
