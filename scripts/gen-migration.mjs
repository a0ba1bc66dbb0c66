// A generated PostgreSQL migration of ordinary statements, of about `bytes` bytes, for the scaling
// benchmark (`npm run bench`): tables with indexes and constraints, column changes, data fixes
// (UPDATE/DELETE with WHERE, INSERT), views and triggers dropped and re-created, functions with
// PL/pgSQL bodies, grants and comments, roles with passwords (a secret each), cycling over a few hundred table names so that the rules
// that look at earlier and later statements of the file (created earlier? re-created later?) see
// many matches and many misses. Deterministic: the same size gives the same text.
//
//   node scripts/gen-migration.mjs BYTES > file.sql
import { fileURLToPath } from 'node:url';

export function generateMigration(bytes) {
  const out = [];
  let size = 0;
  const push = (s) => {
    out.push(s);
    size += Buffer.byteLength(s) + 1;
  };
  push('-- generated migration (scripts/gen-migration.mjs)');
  for (let i = 0; size < bytes; i++) {
    const t = `t_${i % 400}`;
    const n = i;
    switch (i % 17) {
      case 0:
        push(`CREATE TABLE IF NOT EXISTS public.${t}_${n} (\n  id bigserial PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  amount numeric(12,2) DEFAULT 0\n);`);
        break;
      case 1:
        push(`CREATE INDEX IF NOT EXISTS ${t}_${n - 1}_name_idx ON public.${t}_${n - 1} (name);`);
        break;
      case 2:
        push(`ALTER TABLE ${t} ADD COLUMN c_${n} integer;`);
        break;
      case 3:
        push(`UPDATE ${t} SET c_${n - 1} = 0 WHERE id > ${n};`);
        break;
      case 4:
        push(`INSERT INTO ${t} (id, name) VALUES (${n}, 'row ${n}'), (${n + 1}, 'row ${n + 1}') ON CONFLICT DO NOTHING;`);
        break;
      case 5:
        push(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_c${n}_check CHECK (amount >= 0) NOT VALID;`);
        break;
      case 6:
        push(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_c${n - 1}_check;`);
        break;
      case 7:
        push(`DROP VIEW IF EXISTS v_${t};\nCREATE VIEW v_${t} AS SELECT id, name FROM ${t} WHERE created_at > now() - interval '1 day';`);
        break;
      case 8:
        push(`CREATE OR REPLACE FUNCTION f_${n}(x integer) RETURNS integer LANGUAGE plpgsql AS $$\nBEGIN\n  UPDATE ${t} SET amount = amount + x WHERE id = x;\n  RETURN x + 1;\nEND;\n$$;`);
        break;
      case 9:
        push(`DROP TRIGGER IF EXISTS trg_${t} ON ${t};\nCREATE TRIGGER trg_${t} BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION f_${n - 1}();`);
        break;
      case 10:
        push(`COMMENT ON TABLE ${t} IS 'table ${t}, revision ${n}';`);
        break;
      case 11:
        push(`DELETE FROM ${t} WHERE created_at < '2020-01-01' AND id <> ${n};`);
        break;
      case 12:
        push(`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${t}_fk;\nALTER TABLE ${t} ADD CONSTRAINT ${t}_fk FOREIGN KEY (id) REFERENCES ${t}_${n - 12} (id);`);
        break;
      case 13:
        push(`GRANT SELECT, INSERT ON ${t} TO app_reader;`);
        break;
      case 14:
        push(`DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'e_${n}') THEN\n    CREATE TYPE e_${n} AS ENUM ('a', 'b');\n  END IF;\nEND\n$$;`);
        break;
      case 15:
        push(`ALTER TABLE ${t} ALTER COLUMN name SET DEFAULT 'n/a';`);
        break;
      case 16:
        push(`CREATE ROLE role_${n} LOGIN PASSWORD 'pw-${n}-Xk9q';`);
        break;
    }
  }
  return out.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2]);
  if (!Number.isFinite(n) || n <= 0) {
    console.error('usage: node scripts/gen-migration.mjs BYTES > file.sql');
    process.exit(2);
  }
  process.stdout.write(generateMigration(n));
}
