import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ERASURE_PLAN, TABLES_KEPT_ON_ERASURE, TABLES_WITHOUT_PERSONAL_DATA } from './erasure-plan';

/** Every table the migrations create. */
function migratedTables(): string[] {
  const dir = path.join(__dirname, '..', 'migrations');
  const sources = readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(path.join(dir, file), 'utf8'));
  return sources.flatMap((source) => [...source.matchAll(/CREATE TABLE (\w+)/g)].map((match) => match[1] as string));
}

const user = { userId: 'ana', userKey: 'erased:abc', at: '2026-03-01T10:00:00.000Z' };

describe('the erasure plan', () => {
  it('covers every table a migration creates: erased, kept for a stated reason, or known to hold nothing personal', () => {
    const covered = new Set<string>([
      ...ERASURE_PLAN.map((step) => step.table),
      ...Object.keys(TABLES_KEPT_ON_ERASURE),
      ...TABLES_WITHOUT_PERSONAL_DATA,
    ]);
    const uncovered = migratedTables().filter((table) => !covered.has(table));
    expect(uncovered).toEqual([]);
  });

  it('gives each table one step, with what happens to it', () => {
    const tables = ERASURE_PLAN.map((step) => step.table);
    expect(new Set(tables).size).toBe(tables.length);
    for (const step of ERASURE_PLAN) expect(step.effect.length).toBeGreaterThan(10);
  });

  it('passes each statement exactly the parameters it uses', () => {
    for (const step of ERASURE_PLAN) {
      const { sql, parameters } = step.statement(user);
      const highest = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
      expect({ table: step.table, parameters: parameters.length }).toEqual({ table: step.table, parameters: highest });
    }
  });

  it('deletes the profile after every step that still finds the user through it, and writes the marker last', () => {
    const tables = ERASURE_PLAN.map((step) => step.table);
    expect(tables.indexOf('profiles')).toBeGreaterThan(tables.indexOf('inbound_messages'));
    expect(tables.indexOf('profiles')).toBeGreaterThan(tables.indexOf('broadcasts'));
    expect(tables.indexOf('messages')).toBeGreaterThan(tables.indexOf('tracked_links'));
    expect(tables.at(-1)).toBe('erased_users');
  });
});
