// Calls into routines the history defined (src/analyze/calls.ts): the body runs at the call, so
// its statements are judged there. Static judgement (replay off) and the replayed path both.
import { describe, expect, it } from 'vitest';
import { run } from '../src/engine.js';
import type { Dialect, Finding, SourceFile } from '../src/types.js';

async function judge(sql: string, history: string[], opts: { dialect?: Dialect; replay?: boolean } = {}): Promise<Finding[]> {
  const files: SourceFile[] = history.map((h, i) => ({ path: `migrations/000${i}_history.sql`, content: h }));
  const r = await run([{ path: 'migrations/0100_change.sql', content: sql }], { dialect: opts.dialect, history: files, historyKnown: true, replay: opts.replay ?? false });
  return r.findings;
}
const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

const WIPE = 'CREATE TABLE users (id int, email text);\nCREATE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM users; END $$;';

describe('calls into routines the history defined', () => {
  it('judges a history function body at a SELECT that calls it', async () => {
    const fs = await judge('SELECT 1;\nSELECT wipe();', [WIPE]);
    const d = of(fs, 'delete-without-where');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 2, gating: true });
    expect(d[0].message).toContain('Calls wipe() (defined at migrations/0000_history.sql:2)');
    expect(d[0].snippet).toContain('SELECT wipe()');
  });

  it('judges a procedure run by CALL, and with the sandbox replaying', async () => {
    const history = ['CREATE TABLE users (id int);\nCREATE PROCEDURE cleanup() LANGUAGE sql AS $$ DROP TABLE users $$;'];
    for (const replay of [false, true]) {
      const fs = await judge('CALL public.cleanup();', history, { replay });
      expect(of(fs, 'drop-table').filter((f) => f.gating && f.message.startsWith('Calls cleanup()'))).toHaveLength(1);
    }
  });

  it('follows a routine that calls another, and PERFORM inside a DO block', async () => {
    const history = [WIPE + '\nCREATE FUNCTION tidy() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM wipe(); END $$;'];
    expect(of(await judge('SELECT tidy();', history), 'delete-without-where')).toHaveLength(1);
    expect(of(await judge('DO $$ BEGIN PERFORM wipe(); END $$;', history), 'delete-without-where')).toHaveLength(1);
  });

  it('stops on recursion', async () => {
    const history = ['CREATE FUNCTION loop() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM loop(); DELETE FROM t; END $$;'];
    expect(of(await judge('SELECT loop();', history), 'delete-without-where')).toHaveLength(1);
  });

  it('judges MySQL procedures called with CALL', async () => {
    const history = ['CREATE TABLE users (id int);\nDELIMITER //\nCREATE PROCEDURE purge() BEGIN DELETE FROM users; END //\nDELIMITER ;'];
    const fs = await judge('CALL purge();', history, { dialect: 'mysql' });
    expect(of(fs, 'delete-without-where').filter((f) => f.gating)).toHaveLength(1);
  });

  it('a string that spells "procedure <name>" does not hide the history routine of that name', async () => {
    // The routine head is read as the server reads CREATE PROCEDURE (src/parse/nsp.ts routineHead),
    // not as any "procedure <name>" after a CREATE: a table comment names no routine.
    const history = ['CREATE TABLE users (id int);\nDELIMITER //\nCREATE PROCEDURE purge() BEGIN DELETE FROM users; END //\nDELIMITER ;'];
    const comment = "CREATE TABLE notes (id int) COMMENT 'procedure purge';";
    expect(of(await judge(`${comment}\nCALL purge();`, history, { dialect: 'mysql' }), 'delete-without-where')).toHaveLength(1);
    expect(of(await judge('CALL purge();', [...history, comment], { dialect: 'mysql' }), 'delete-without-where')).toHaveLength(1);
    // A real redefinition still shadows it.
    const redefined = 'DELIMITER //\nCREATE PROCEDURE purge() BEGIN SELECT 1; END //\nDELIMITER ;\nCALL purge();';
    expect(of(await judge(redefined, history, { dialect: 'mysql' }), 'delete-without-where')).toEqual([]);
  });

  it('SQL Server CREATE OR ALTER TRIGGER is read like CREATE TRIGGER', async () => {
    const plain = 'CREATE TABLE users (id int);\nCREATE TABLE audit (id int);\nGO\nCREATE TRIGGER trg ON audit AFTER INSERT AS BEGIN DELETE FROM users; END;';
    for (const h of [plain, plain.replace('CREATE TRIGGER', 'CREATE OR ALTER TRIGGER')]) {
      const d = of(await judge('INSERT INTO audit VALUES (1);', [h], { dialect: 'transactsql' }), 'delete-without-where');
      expect(d).toHaveLength(1);
      expect(d[0].message).toContain('Fires trigger trg on audit');
    }
    const altered = 'CREATE OR ALTER TRIGGER trg ON audit AFTER INSERT AS BEGIN DELETE FROM users WHERE id = 1; END;';
    expect(of(await judge('INSERT INTO audit VALUES (1);', [plain, altered], { dialect: 'transactsql' }), 'delete-without-where')).toEqual([]);
  });

  it('does not add what the history routine does not do', async () => {
    const harmless = ['CREATE FUNCTION stamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT now() $$;'];
    expect((await judge('SELECT stamp();', harmless)).filter((f) => f.gating)).toEqual([]);
  });

  it('does not expand a routine this change redefines before calling it, or one the history dropped', async () => {
    const redefined = await judge('CREATE OR REPLACE FUNCTION wipe() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;\nSELECT wipe();', [WIPE]);
    expect(of(redefined, 'delete-without-where')).toEqual([]);
    const dropped = await judge('SELECT wipe();', [WIPE, 'DROP FUNCTION wipe();']);
    expect(of(dropped, 'delete-without-where')).toEqual([]);
  });

  it('does not expand the body where the routine is defined, nor calls with no history', async () => {
    expect(of(await judge('SELECT wipe();', []), 'delete-without-where')).toEqual([]);
    // The definition in the change itself is judged where it is written, once.
    const own = await judge(WIPE + '\nSELECT wipe();', []);
    expect(of(own, 'delete-without-where').map((f) => f.line)).toEqual([2]);
  });

  it('does not report the routine’s credentials again at the call', async () => {
    const history = ["CREATE FUNCTION mk() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE ROLE app LOGIN PASSWORD 'Sup3rS3cret!x'; END $$;"];
    const fs = await judge('SELECT mk();', history);
    expect(fs.filter((f) => f.category === 'credential')).toEqual([]);
    expect(fs.filter((f) => f.message.startsWith('Calls mk()')).length).toBeGreaterThan(0); // CREATE ROLE still judged
    expect(JSON.stringify(fs)).not.toContain('Sup3rS3cret');
  });

  it('treats an earlier judged file as history in the CLI (each file its own change), not in a pull request', async () => {
    const files: SourceFile[] = [
      { path: 'migrations/0001_a.sql', content: WIPE },
      { path: 'migrations/0002_b.sql', content: 'SELECT wipe();' },
    ];
    const at = async (units: 'file' | 'together') =>
      (await run(files, { history: [], historyKnown: true, replay: false, units })).findings.filter((f) => f.ruleId === 'delete-without-where').map((f) => `${f.path}:${f.line}`);
    expect(await at('file')).toEqual(['migrations/0001_a.sql:2', 'migrations/0002_b.sql:1']);
    expect(await at('together')).toEqual(['migrations/0001_a.sql:2']);
  });

  describe('triggers are calls too', () => {
    const TRIG = 'CREATE TABLE users (id int);\nCREATE TABLE audit (id int);\nCREATE FUNCTION purge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM users; RETURN NEW; END $$;\nCREATE TRIGGER audit_purge AFTER INSERT ON audit FOR EACH ROW EXECUTE FUNCTION purge();';

    it('a write to a table a history trigger watches runs the trigger function', async () => {
      for (const sql of ['INSERT INTO audit VALUES (1);', 'UPDATE public.audit SET id = 2 WHERE id = 1;', 'WITH x AS (INSERT INTO audit VALUES (1) RETURNING id) SELECT * FROM x;', 'COPY audit FROM STDIN;']) {
        const d = of(await judge(sql, [TRIG]), 'delete-without-where');
        expect(d, sql).toHaveLength(1);
        expect(d[0].message).toContain('Fires trigger audit_purge on audit, whose function purge() (defined at migrations/0000_history.sql:3) runs: Deletes every row of users');
        expect(d[0].gating).toBe(true);
      }
    });

    it('a write to another table, a read, or a redefined trigger function does not', async () => {
      expect(of(await judge('INSERT INTO users VALUES (1);', [TRIG]), 'delete-without-where')).toEqual([]);
      expect(of(await judge('SELECT * FROM audit;', [TRIG]), 'delete-without-where')).toEqual([]);
      const redefined = 'CREATE OR REPLACE FUNCTION purge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nINSERT INTO audit VALUES (1);';
      expect(of(await judge(redefined, [TRIG]), 'delete-without-where')).toEqual([]);
    });

    it('MySQL and SQLite trigger bodies', async () => {
      const my = ['CREATE TABLE users (id int);\nCREATE TABLE audit (id int);\nCREATE TRIGGER audit_purge AFTER INSERT ON audit FOR EACH ROW DELETE FROM users;'];
      const d = of(await judge('INSERT INTO audit VALUES (1);', my, { dialect: 'mysql' }), 'delete-without-where');
      expect(d).toHaveLength(1);
      expect(d[0].message).toContain('Fires trigger audit_purge on audit, whose body (defined at migrations/0000_history.sql:3) runs');
      const lite = ['CREATE TABLE users (id int);\nCREATE TABLE audit (id int);\nCREATE TRIGGER audit_purge AFTER INSERT ON audit BEGIN DELETE FROM users; END;'];
      expect(of(await judge('INSERT INTO audit VALUES (1);', lite, { dialect: 'sqlite' }), 'delete-without-where')).toHaveLength(1);
      expect(of(await judge('INSERT INTO users VALUES (1);', lite, { dialect: 'sqlite' }), 'delete-without-where')).toEqual([]);
    });
  });
});
