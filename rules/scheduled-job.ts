import { folded, inside, nodeOffset, textMayName, UNPARSED } from '../src/sql/ast.js';
import { cronCalls, constString } from '../src/parse/pg.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const rule: Rule = {
  meta: {
    id: 'scheduled-job',
    category: 'execution',
    severity: 'error',
    summary: 'Schedules SQL to run later and repeatedly: pg_cron cron.schedule / schedule_in_database / alter_job, MySQL CREATE/ALTER EVENT',
    rationale:
      'A scheduled job keeps running after the migration, as the role that scheduled it (cron.schedule_in_database can name another role ' +
      'and database): it is code that outlives the review, runs without a deploy and is easy to miss. The SQL of a pg_cron job given as a ' +
      'constant is analyzed by every other rule (a job that deletes rows is reported as such, inside the job); SQL built at run time cannot be ' +
      'checked. MySQL events (CREATE EVENT … DO) are the same.',
    fix: 'Schedule jobs as a reviewed operational step, or keep the job’s SQL minimal and get it approved.',
    examples: {
      bad: [
        { sql: "SELECT cron.schedule('purge', '0 3 * * *', $$DELETE FROM events WHERE created_at < now() - interval '30 days'$$);" },
        { sql: "SELECT cron.schedule_in_database('x', '* * * * *', 'SELECT 1', 'postgres', 'postgres');" },
        { sql: "DO $$ BEGIN PERFORM cron.schedule('*/5 * * * *', 'CALL refresh()'); END $$;" },
        // The function's name spelled with Unicode escapes: PostgreSQL reads cron.schedule.
        { sql: "SELECT cron.U&\"\\0073chedule\"('purge', '0 * * * *', 'DELETE FROM events');" },
        { sql: "SELECT cron.schedule('j', '@daily', 'SELECT ' || quote_ident(current_user));" },
        { sql: 'CREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO DELETE FROM sessions;', dialect: 'mysql' },
      ],
      good: [{ sql: "SELECT cron.unschedule('purge');" }, { sql: "INSERT INTO schedule (name) VALUES ('x');" }, { sql: 'DROP EVENT IF EXISTS purge;', dialect: 'mysql' }],
    },
  },
  check(stmt, { report }) {
    if (stmt.pg && textMayName(stmt.text, /schedule|alter_job/i)) {
      for (const c of cronCalls(stmt.pg)) {
        const sql = constString(c.command);
        const job = c.job ? ` ${c.job}` : '';
        const what =
          sql !== undefined
            ? `runs \`${sql.replace(/\s+/g, ' ').trim().slice(0, 80)}${sql.length > 80 ? '…' : ''}\` on its schedule (its statements are analyzed as part of the job)`
            : c.command === undefined
              ? 'changes the job'
              : 'runs SQL built at run time on its schedule: what it does cannot be checked';
        report({ message: `${c.fn}()${job} ${what}${inside(stmt)}.`, offset: nodeOffset(stmt, c.location), key: `${c.fn}:${c.job ?? ''}` });
      }
    }
    if (stmt.ast && /^(create|alter)\s+(definer\s*=\s*\S+\s+)?event\s/.test(stmt.lexical)) textEvent(stmt, report, '');
  },
  unparsed(stmt, { report }) {
    textEvent(stmt, report, UNPARSED);
  },
  lexical: [/\bcron\s*\.\s*(schedule|schedule_in_database|alter_job)\s*\(/, /^(create|alter)\s+(definer\s*=\s*\S+\s+)?event\s/],
};

function textEvent(stmt: Parameters<NonNullable<Rule['unparsed']>>[0], report: (r: { message: string; key?: string }) => void, suffix: string): void {
  const t = folded(stmt);
  const m = /^(create|alter)\s+(?:definer\s*=\s*\S+\s+)?event\s+(?:if\s+not\s+exists\s+)?(\S+)[\s\S]*?\bdo\s+([\s\S]*)$/i.exec(t);
  if (m) report({ message: `${suffix ? 'Likely: ' : ''}${m[1].toUpperCase()} EVENT ${m[2]} runs \`${m[3].slice(0, 80)}${m[3].length > 80 ? '…' : ''}\` on a schedule in the server (MySQL event scheduler)${suffix}.`, key: 'event' });
  else if (/^(create|alter)\s+(definer\s*=\s*\S+\s+)?event\s/i.test(t)) report({ message: `${suffix ? 'Likely: ' : ''}creates or changes a MySQL scheduled event${suffix}.`, key: 'event' });
}
export default withDynamic(rule);
