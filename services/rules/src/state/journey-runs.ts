import type { EventEnvelope } from '@nudge/contracts';
import type { JourneyRun, StepHistory } from '@nudge/decisions';
import { lockUsers } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';

const COLUMNS = `run_id, campaign_id, campaign_version, user_id, trigger_event, step_id, phase, status, due_at, waiting_for,
  history, started_at, updated_at`;

/** The active runs of these users (their locks held by the caller). */
export async function activeRunsOf(manager: EntityManager, userIds: string[]): Promise<JourneyRun[]> {
  if (userIds.length === 0) return [];
  const rows: RunRow[] = await manager.query(`SELECT ${COLUMNS} FROM journey_runs WHERE status = 'active' AND user_id = ANY($1::text[])`, [
    [...new Set(userIds)],
  ]);
  return rows.map(toRun);
}

/** Up to `limit` active runs due by `now` (id and user): read without locks, outside any transaction. */
export async function dueRunCandidates(db: { query: EntityManager['query'] }, now: Date, limit: number): Promise<DueRun[]> {
  const rows: { run_id: string; user_id: string }[] = await db.query(
    `SELECT run_id, user_id FROM journey_runs WHERE status = 'active' AND due_at <= $1 ORDER BY due_at LIMIT $2`,
    [now.toISOString(), limit],
  );
  return rows.map((row) => ({ runId: row.run_id, userId: row.user_id }));
}

export interface DueRun {
  runId: string;
  userId: string;
}

/**
 * The candidate runs, with their users locked, that are still active and due. Users are locked
 * first and the runs read after, as every other writer of a run does (trigger evaluation holds
 * the user lock when it moves a run on an event), so two writers never wait on each other in
 * opposite orders; a run another poller moved on meanwhile is no longer due and is left out.
 */
export async function claimDueRuns(manager: EntityManager, candidates: DueRun[], now: Date): Promise<JourneyRun[]> {
  if (candidates.length === 0) return [];
  await lockUsers(
    manager,
    candidates.map((c) => c.userId),
  );
  const rows: RunRow[] = await manager.query(
    // A run id is one user's: the users narrow nothing here, but name the shard on a distributed table.
    `SELECT ${COLUMNS} FROM journey_runs WHERE run_id = ANY($2::text[]) AND user_id = ANY($1::text[])
       AND status = 'active' AND due_at <= $3`,
    [candidates.map((c) => c.userId), candidates.map((c) => c.runId), now.toISOString()],
  );
  return rows.map(toRun);
}

/** A user's runs, newest first: where each is, and what it did. */
export async function runsOfUser(manager: EntityManager, userId: string, limit: number): Promise<JourneyRun[]> {
  const rows: RunRow[] = await manager.query(`SELECT ${COLUMNS} FROM journey_runs WHERE user_id = $1 ORDER BY started_at DESC LIMIT $2`, [
    userId,
    limit,
  ]);
  return rows.map(toRun);
}

interface RunRow {
  run_id: string;
  campaign_id: string;
  campaign_version: number;
  user_id: string;
  trigger_event: EventEnvelope;
  step_id: string;
  phase: JourneyRun['phase'];
  status: JourneyRun['status'];
  due_at: Date | null;
  waiting_for: string | null;
  history: Record<string, StepHistory>;
  started_at: Date;
  updated_at: Date;
}

function toRun(row: RunRow): JourneyRun {
  return {
    runId: row.run_id,
    campaignId: row.campaign_id,
    campaignVersion: row.campaign_version,
    userId: row.user_id,
    triggerEvent: row.trigger_event,
    stepId: row.step_id,
    phase: row.phase,
    status: row.status,
    dueAt: row.due_at,
    waitingFor: row.waiting_for,
    history: row.history,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
  };
}
