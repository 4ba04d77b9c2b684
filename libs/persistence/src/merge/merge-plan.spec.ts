import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROFILE_MERGE_PLAN, STATE_MERGE_PLAN, TABLES_LEFT_ON_MERGE, type MergedUser } from './merge-plan';

/** Every table the migrations create. */
function migratedTables(): string[] {
  const dir = path.join(__dirname, '..', 'migrations');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(path.join(dir, file), 'utf8').matchAll(/CREATE TABLE (\w+)/g)].map((match) => match[1] as string));
}

const merge: MergedUser = {
  previousId: 'anon-1',
  userId: 'ana',
  at: '2026-03-01T10:00:00.000Z',
  carried: { consent: [{ channel: 'sms', category: 'marketing' }], channels: ['sms'], topics: ['news'], maxPerWeek: true },
};
const steps = [...PROFILE_MERGE_PLAN, ...STATE_MERGE_PLAN];

describe('the merge plan', () => {
  it('classifies every table a migration creates: moved by ingest, moved by rules, or left with a reason', () => {
    const classified = new Set([...steps.map((step) => step.table), ...Object.keys(TABLES_LEFT_ON_MERGE)]);
    expect(migratedTables().filter((table) => !classified.has(table))).toEqual([]);
  });

  it('gives each table one place, with what happens to it', () => {
    const tables = [...steps.map((step) => step.table), ...Object.keys(TABLES_LEFT_ON_MERGE)];
    expect(new Set(tables).size).toBe(tables.length);
    for (const step of steps) expect(step.effect.length).toBeGreaterThan(10);
  });

  it('passes each statement exactly the parameters it uses', () => {
    for (const step of steps) {
      for (const { sql, parameters } of step.statements(merge)) {
        const highest = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
        expect({ table: step.table, parameters: parameters.length }).toEqual({ table: step.table, parameters: highest });
      }
    }
  });

  it("deletes the previous profile last, after the rows found through it moved, and reads only the previous id's rows", () => {
    expect(PROFILE_MERGE_PLAN.at(-1)?.table).toBe('profiles');
    for (const step of steps) {
      for (const { sql, parameters } of step.statements(merge)) {
        expect({ table: step.table, previous: parameters[0] }).toEqual({ table: step.table, previous: merge.previousId });
        // Each statement reads or writes the previous id's rows (or records its alias), never another user's.
        expect(sql).toMatch(/user_id = \$1|VALUES \(\$1, \$2/);
      }
    }
  });
});
