import { isWaitingFallback, touchKey, type Effects, type Touch } from '@nudge/engine';

/**
 * The rows of `Effects` as ONE SQL statement: each table's rows go as one jsonb parameter
 * (`jsonb_to_recordset`; the cancelled send ids as one text[]) into a data-modifying CTE, in
 * the fixed order the writer keeps — conversions, cancelled then new pending sends, journey
 * runs, cap ledger, touches, attributions, opt-ins asked, and last the decision log. A part
 * with no rows is left out; no rows at all is no statement.
 *
 * Sub-statements of one statement share a snapshot and Postgres runs them in no promised
 * order, so each part waits for the one before it: its SELECT carries a one-time filter on
 * the previous part's RETURNING (`WHERE (SELECT count(*) FROM <previous>) >= 0`), which runs
 * that part to its end before this one reads a row. So the parts run one after another in
 * the listed order and each sees what the ones before it wrote (a send id cancelled and
 * scheduled again in one batch is pending afterwards, as with separate statements); every
 * ON CONFLICT behaviour is the separate statements' own. One round trip instead of up to
 * nine: on this box a statement costs a loopback write and a wake-up each way.
 */
export function effectsStatement(effects: Effects): { sql: string; params: unknown[] } | null {
  const parts: Part[] = [];
  const params: unknown[] = [];
  const add = (name: string, rows: readonly unknown[], body: (param: string, gate: string) => string) => {
    if (rows.length === 0) return;
    params.push(name === 'cancelled' ? rows : JSON.stringify(rows));
    const previous = parts[parts.length - 1];
    const gate = previous ? `(SELECT count(*) FROM ${previous.name}) >= 0` : 'TRUE';
    parts.push({ name, sql: body(`$${params.length}`, gate) });
  };

  add(
    'conversions_written',
    effects.conversions.map((c) => ({ send_id: c.sendId, campaign_id: c.campaignId, event_id: c.eventId, converted_at: c.at })),
    (p, gate) =>
      `INSERT INTO conversions (send_id, campaign_id, event_id, converted_at)
       SELECT send_id, campaign_id, event_id, converted_at
       FROM jsonb_to_recordset(${p}::jsonb) AS r(send_id text, campaign_id text, event_id text, converted_at timestamptz) WHERE ${gate}
       ON CONFLICT (send_id) DO NOTHING RETURNING 1`,
  );
  add('cancelled', effects.cancel, (p, gate) => `DELETE FROM pending_sends WHERE send_id = ANY(${p}::text[]) AND ${gate} RETURNING 1`);
  add(
    'scheduled',
    effects.schedule.map((s) => ({
      send_id: s.sendId,
      user_id: s.userId,
      campaign_id: s.campaignId,
      campaign_version: s.campaignVersion,
      trigger_event_id: s.triggerEventId,
      step_id: s.stepId,
      due_at: isWaitingFallback(s) ? null : s.dueAt,
      trigger_event: s.triggerEvent,
      fallback: s.fallback ?? null,
    })),
    (p, gate) =>
      `INSERT INTO pending_sends (send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event, fallback)
       SELECT send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event, fallback
       FROM jsonb_to_recordset(${p}::jsonb) AS r(send_id text, user_id text, campaign_id text, campaign_version int,
         trigger_event_id text, step_id text, due_at timestamptz, trigger_event jsonb, fallback jsonb) WHERE ${gate}
       ON CONFLICT (user_id, send_id) DO NOTHING RETURNING 1`,
  );
  add(
    'runs_written',
    effects.runs.map((r) => ({
      run_id: r.runId,
      campaign_id: r.campaignId,
      campaign_version: r.campaignVersion,
      user_id: r.userId,
      trigger_event_id: r.triggerEvent.eventId,
      trigger_event: r.triggerEvent,
      step_id: r.stepId,
      phase: r.phase,
      status: r.status,
      due_at: r.dueAt,
      waiting_for: r.waitingFor,
      history: r.history,
      started_at: r.startedAt,
      updated_at: r.updatedAt,
    })),
    (p, gate) =>
      `INSERT INTO journey_runs (run_id, campaign_id, campaign_version, user_id, trigger_event_id, trigger_event, step_id, phase,
         status, due_at, waiting_for, history, started_at, updated_at)
       SELECT run_id, campaign_id, campaign_version, user_id, trigger_event_id, trigger_event, step_id, phase,
         status, due_at, waiting_for, history, started_at, updated_at
       FROM jsonb_to_recordset(${p}::jsonb) AS r(run_id text, campaign_id text, campaign_version int, user_id text,
         trigger_event_id text, trigger_event jsonb, step_id text, phase text, status text, due_at timestamptz, waiting_for text,
         history jsonb, started_at timestamptz, updated_at timestamptz) WHERE ${gate}
       ON CONFLICT (user_id, run_id) DO UPDATE SET step_id = EXCLUDED.step_id, phase = EXCLUDED.phase, status = EXCLUDED.status,
         due_at = EXCLUDED.due_at, waiting_for = EXCLUDED.waiting_for, history = EXCLUDED.history, updated_at = EXCLUDED.updated_at
       RETURNING 1`,
  );
  add(
    'ledger_written',
    effects.ledger.map((r) => ({
      send_id: r.sendId,
      user_id: r.userId,
      campaign_id: r.campaignId,
      channel: r.channel,
      category: r.category,
      sent_at: r.sentAt,
    })),
    (p, gate) =>
      `INSERT INTO send_ledger (send_id, user_id, campaign_id, channel, category, sent_at)
       SELECT send_id, user_id, campaign_id, channel, category, sent_at
       FROM jsonb_to_recordset(${p}::jsonb) AS r(send_id text, user_id text, campaign_id text, channel text, category text,
         sent_at timestamptz) WHERE ${gate}
       ON CONFLICT (user_id, send_id) DO NOTHING RETURNING 1`,
  );
  add(
    'touches_written',
    latestTouches(effects.touches).map((t) => ({ user_id: t.userId, campaign_id: t.campaignId, touched_at: t.at })),
    (p, gate) =>
      `INSERT INTO campaign_touches (user_id, campaign_id, touched_at)
       SELECT user_id, campaign_id, touched_at
       FROM jsonb_to_recordset(${p}::jsonb) AS r(user_id text, campaign_id text, touched_at timestamptz) WHERE ${gate}
       ON CONFLICT (user_id, campaign_id) DO UPDATE SET touched_at = GREATEST(campaign_touches.touched_at, EXCLUDED.touched_at)
       RETURNING 1`,
  );
  add(
    'attributions_written',
    effects.attributions.map((r) => ({
      send_id: r.sendId,
      user_id: r.userId,
      campaign_id: r.campaignId,
      grp: r.group,
      at: r.at,
      trigger_properties: r.triggerProperties,
    })),
    (p, gate) =>
      `INSERT INTO attributions (send_id, user_id, campaign_id, grp, at, trigger_properties)
       SELECT send_id, user_id, campaign_id, grp, at, trigger_properties
       FROM jsonb_to_recordset(${p}::jsonb) AS r(send_id text, user_id text, campaign_id text, grp text, at timestamptz,
         trigger_properties jsonb) WHERE ${gate}
       ON CONFLICT (send_id) DO NOTHING RETURNING 1`,
  );
  add(
    'opt_ins_written',
    effects.optIns.map((o) => ({
      user_id: o.userId,
      channel: o.channel,
      address: o.address,
      requested_at: o.requestedAt,
      request_event_id: o.requestEventId,
    })),
    // One row per user and channel: a newer request to another address replaces it.
    (p, gate) =>
      `INSERT INTO pending_opt_ins (user_id, channel, address, requested_at, request_event_id)
       SELECT user_id, channel, address, requested_at, request_event_id
       FROM jsonb_to_recordset(${p}::jsonb) AS r(user_id text, channel text, address text, requested_at timestamptz,
         request_event_id text) WHERE ${gate}
       ON CONFLICT (user_id, channel) DO UPDATE
         SET address = EXCLUDED.address, requested_at = EXCLUDED.requested_at, request_event_id = EXCLUDED.request_event_id
       RETURNING 1`,
  );
  // The decision log, last: the statement's own INSERT (it is the only writer of the log).
  add(
    'decisions_written',
    effects.decisions.map((d) => ({
      user_id: d.userId,
      campaign_id: d.campaignId,
      campaign_version: d.campaignVersion,
      trigger_event_id: d.triggerEventId,
      step_id: d.stepId,
      outcome: d.outcome,
      reason: d.reason,
      at: d.at,
      scheduled_for: d.scheduledFor,
    })),
    (p, gate) =>
      `INSERT INTO decisions (user_id, campaign_id, campaign_version, trigger_event_id, step_id, outcome, reason, at, scheduled_for)
       SELECT user_id, campaign_id, campaign_version, trigger_event_id, step_id, outcome, reason, at, scheduled_for
       FROM jsonb_to_recordset(${p}::jsonb) AS r(user_id text, campaign_id text, campaign_version int, trigger_event_id text,
         step_id text, outcome text, reason text, at timestamptz, scheduled_for timestamptz) WHERE ${gate}
       RETURNING 1`,
  );

  const last = parts[parts.length - 1];
  if (!last) return null;
  // The outer SELECT reads the last part, which runs every part before it, in order.
  return {
    sql: `WITH ${parts.map((part) => `${part.name} AS (${part.sql})`).join(',\n')}\nSELECT count(*)::int AS written FROM ${last.name}`,
    params,
  };
}

interface Part {
  name: string;
  sql: string;
}

/** One touch per (user, campaign), the latest: an upsert may not touch the same row twice. */
function latestTouches(all: readonly Touch[]): Touch[] {
  const latest = new Map<string, Touch>();
  for (const touch of all) {
    const key = touchKey(touch.userId, touch.campaignId);
    const seen = latest.get(key);
    if (!seen || seen.at < touch.at) latest.set(key, touch);
  }
  return [...latest.values()];
}
