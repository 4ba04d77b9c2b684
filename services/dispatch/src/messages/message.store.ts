import { Inject, Injectable } from '@nestjs/common';
import type { Category, Channel, MessageStatus } from '@nudge/contracts';
import { returnedRows } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { UnknownVerdict } from '../sending/unknown-outcomes';
import { KEYWORD_REPLY_CAMPAIGN, type NewMessage, type StatusStamp, type StoredMessage } from './message';

/** A queued message a sender holds the lease of, with what the provider needs. */
export interface ClaimedMessage extends StoredMessage {
  sender: string | null;
  subject: string | null;
  category: Category;
  /** When rules decided the send (the request's `decidedAt`; the message's creation when absent). */
  decidedAt: string;
  /** The campaign's `expireAfter` (ISO-8601) the request carries, if any. */
  expireAfter: string | null;
}

/** How many ready messages of a rate-limited provider on a channel one claim may take. */
export interface ClaimAllowance {
  channel: Channel;
  provider: string;
  allowance: number;
}

/** A reported status written to a locked message: its new status and the stamps to append. */
export interface StatusUpdate {
  id: string;
  status: MessageStatus;
  appendHistory: StatusStamp[];
  /** Set for `failed` / `expired` when the provider said why; otherwise the stored reason stays. */
  failureReason: string | null;
}

/** What one provider call did to a claimed message (or that it was not made: `released`). */
export interface AttemptRecord {
  id: string;
  /**
   * The provider was not called (the lease may have run out first): the message goes back to
   * the queue as it was, its attempt not counted.
   */
  released: boolean;
  status: MessageStatus;
  appendHistory: StatusStamp[];
  providerMessageId: string | null;
  failureReason: string | null;
  /** Set when the message goes back to `queued` for another attempt (or, released, when it is ready again). */
  retryInMs: number | null;
}

/**
 * Messages to insert already leased, as a claim would lease them (see SendAtIntake): the
 * queued ones among `ids` get the token, a lease of `leaseSeconds` and their first attempt
 * counted.
 */
export interface InsertLease {
  token: string;
  leaseSeconds: number;
  ids: ReadonlySet<string>;
}

/** What one claim asks for. */
export interface ClaimRequest {
  limit: number;
  leaseSeconds: number;
  /** The claim's fencing token: only a write that names it records a result. */
  leaseToken: string;
  /** A message found with a lost result and this many attempts made is not claimed: it is left `unknown`. */
  maxAttempts: number;
  /** The rate-limited providers' allowances (see ClaimAllowance). */
  throttled?: ClaimAllowance[];
  /** What a lost result leads to, per provider and category (see `unknownVerdicts`); the `*` entry for the rest. */
  unknownVerdicts: Record<string, Record<Category, UnknownVerdict>>;
  /** The time stamped on messages the claim finds with a lost result. */
  at: string;
}

/**
 * What a claim did: the messages it leased, and those it found with a lost result (their
 * last lease ran out before a result was recorded) and left `unknown` instead, because their
 * provider's `onUnknown` says not to retry or their attempts are used up.
 */
export interface Claim {
  leased: ClaimedMessage[];
  unknown: StoredMessage[];
}

export interface MessageFilter {
  userId?: string;
  campaignId?: string;
  limit: number;
}

const COLUMNS = `id, send_id, campaign_id, campaign_version, step_id, user_id, trigger_event_id, channel, provider,
  recipient, body, segments, status, status_history, failure_reason, provider_message_id, attempts, created_at`;

const READY = `m.status = 'queued' AND m.next_attempt_at <= now() AND (m.lease_until IS NULL OR m.lease_until < now())`;

/**
 * What the claim decides a ready row by, read by the same locking scan that picks it: a lease
 * token still on a ready row means its lease ran out before a result was recorded (`lost`).
 */
const CLAIM_FACTS = `m.id AS message_id, m.attempts, m.lease_token IS NOT NULL AS lost, m.channel, m.provider,
  m.request->>'category' AS category`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Session settings dispatch's connections need: the send claim must walk the ready index in
 * order (see claimReady), which the planner does only with bitmap scans off.
 */
export const DISPATCH_SESSION_SETTINGS = { enable_bitmapscan: 'off' };

/** The `messages` table: every query dispatch runs on it. */
@Injectable()
export class MessageStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Stores new messages in one statement; a send id already stored is skipped. This is the
   * exactly-once gate (DESIGN invariant 3): only the returned rows are new. The tracked
   * links of the same statement are stored only for the rows it inserted, so a replayed
   * send request creates no links. With `lease`, the queued messages it names are stored
   * leased, ready to be sent at once by the caller (see SendAtIntake).
   */
  async insertNew(
    manager: EntityManager,
    messages: NewMessage[],
    at: string,
    lease?: InsertLease,
  ): Promise<{ id: string; sendId: string; status: MessageStatus }[]> {
    if (messages.length === 0) return [];
    const links = messages.flatMap((m) => m.links.map((link) => ({ ...link, messageId: m.id })));
    // One JSON document for all the rows: a Postgres array per column costs an escape pass per value.
    const newRows = messages.map((m) => ({
      id: m.id,
      send_id: m.request.sendId,
      campaign_id: m.request.campaignId,
      campaign_version: m.request.campaignVersion,
      step_id: m.request.stepId,
      user_id: m.request.userId,
      trigger_event_id: m.request.triggerEventId,
      channel: m.request.channel,
      provider: m.provider,
      recipient: m.recipient,
      body: m.body,
      segments: m.segments,
      status: m.status,
      failure_reason: m.failureReason,
      request: m.request,
      leased: lease?.ids.has(m.id) === true && m.status === 'queued',
    }));
    const rows: { id: string; send_id: string; status: MessageStatus }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO messages (id, send_id, campaign_id, campaign_version, step_id, user_id, trigger_event_id, channel, provider,
           recipient, body, segments, status, status_history, failure_reason, attempts, next_attempt_at, request, created_at, updated_at,
           fallback_channels, fallback_at, lease_token, lease_until)
         SELECT n.id, n.send_id, n.campaign_id, n.campaign_version, n.step_id, n.user_id, n.trigger_event_id, n.channel, n.provider,
           n.recipient, n.body, n.segments, n.status, jsonb_build_array(jsonb_build_object('status', n.status, 'at', $2::text)),
           n.failure_reason, CASE WHEN n.leased THEN 1 ELSE 0 END, CASE WHEN n.status = 'queued' THEN now() END, n.request,
           $2::text::timestamptz, $2::text::timestamptz,
           -- A fallback chain waits \`after\` (ISO-8601, which Postgres reads as an interval) for a read;
           -- a message failed as it was stored (a body too long for the channel…) falls back at once.
           COALESCE(n.request->'fallback'->'channels', '[]'::jsonb),
           CASE WHEN n.request ? 'fallback' AND n.status = 'queued'
             THEN $2::text::timestamptz + (n.request->'fallback'->>'after')::interval
             WHEN n.request ? 'fallback' THEN $2::text::timestamptz END,
           -- Leased as claimReady leases a ready row: its token, its lease, the attempt counted.
           CASE WHEN n.leased THEN $6::uuid END, CASE WHEN n.leased THEN now() + make_interval(secs => $7::int) END
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id uuid, send_id text, campaign_id text, campaign_version int,
             step_id text, user_id text, trigger_event_id text, channel text, provider text, recipient text, body text,
             segments int, status text, failure_reason text, request jsonb, leased boolean)) WITH ORDINALITY
           AS n(id, send_id, campaign_id, campaign_version, step_id, user_id, trigger_event_id, channel, provider,
                recipient, body, segments, status, failure_reason, request, leased, ordinal)
         ORDER BY n.ordinal
         ON CONFLICT (send_id) DO NOTHING
         RETURNING id, send_id, status
       ), links AS (
         INSERT INTO tracked_links (code, message_id, target, created_at)
         SELECT l.code, l.message_id, l.target, $2::text::timestamptz
         FROM unnest($3::text[], $4::uuid[], $5::text[]) AS l(code, message_id, target)
         JOIN inserted ON inserted.id = l.message_id
       )
       SELECT id, send_id, status FROM inserted`,
      [
        JSON.stringify(newRows),
        at,
        links.map((l) => l.code),
        links.map((l) => l.messageId),
        links.map((l) => l.target),
        lease?.token ?? null,
        lease?.leaseSeconds ?? null,
      ],
    );
    return rows.map((r) => ({ id: r.id, sendId: r.send_id, status: r.status }));
  }

  /**
   * Leases ready messages to this sender under its lease token and counts the attempt: up to
   * `limit` of providers without a rate limit, and for each rate-limited (channel, provider)
   * at most its `allowance`, oldest first. Rows another sender is claiming are skipped; a
   * lease that runs out (a crashed or stalled sender) frees its row. A row whose lease ran
   * out still holds its lease token: its last call may have happened, with the result never
   * recorded. Such a message gets an `unknown` stamp saying what becomes of it, in the same
   * statement: leased again where its provider's verdict retries (an idempotency key, or
   * `onUnknown: retry`) and attempts remain, else left `unknown` for good; the change of
   * those goes to the outbox in the caller's transaction.
   *
   * The claim must walk the ready index in next_attempt_at order and stop at the limit. The
   * planner, which cannot see the index's entries of rows settled since the last vacuum,
   * would rather take a bitmap scan: it reads every one of those entries on every claim
   * (and, unlike an index scan, never marks them dead), a cost growing with the backlog.
   * Dispatch's connections start with `enable_bitmapscan=off` for that reason.
   */
  async claimReady(manager: EntityManager, request: ClaimRequest): Promise<Claim> {
    const result = await this.claimInOrder(manager, request);
    const rows = returnedRows<MessageRow & ClaimedColumns>(result);
    return {
      leased: rows.filter((row) => row.status === 'queued').map(claimedFromRow),
      unknown: rows.filter((row) => row.status !== 'queued').map(fromRow),
    };
  }

  private claimInOrder(manager: EntityManager, request: ClaimRequest): Promise<unknown> {
    const throttled = request.throttled ?? [];
    return manager.query(
      `WITH throttled AS (
         SELECT * FROM unnest($3::text[], $4::text[], $5::int[]) AS t(channel, provider, allowance)
       ), unthrottled AS (
         SELECT ${CLAIM_FACTS} FROM messages m
         -- NOT IN, not NOT EXISTS: an anti-join would read and sort the whole ready backlog before the
         -- LIMIT; NOT IN stays a filter on the index scan in next_attempt_at order, which stops at the limit.
         WHERE ${READY} AND (m.channel, m.provider) NOT IN (SELECT t.channel, t.provider FROM throttled t)
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       ), allowed AS (
         SELECT a.* FROM throttled t CROSS JOIN LATERAL (
           SELECT ${CLAIM_FACTS} FROM messages m
           WHERE ${READY} AND m.channel = t.channel AND m.provider = t.provider
           ORDER BY next_attempt_at
           LIMIT t.allowance
           FOR UPDATE SKIP LOCKED
         ) AS a
       ), claimed AS (
         SELECT message_id, attempts, lost,
           COALESCE($9::jsonb -> (channel || '|' || provider), $9::jsonb -> '*') -> category AS verdict
         FROM (SELECT * FROM unthrottled UNION ALL SELECT * FROM allowed) AS c
       ), decided AS (
         SELECT message_id, lost,
           CASE WHEN NOT lost OR ((verdict->>'retry')::boolean AND attempts < $6) THEN 'lease' ELSE 'unknown' END AS action,
           CASE
             WHEN NOT lost THEN NULL
             WHEN (verdict->>'retry')::boolean AND attempts >= $6
               THEN format('gave up after %s attempts: the result of the last one was never recorded', attempts)
             ELSE format('the result of attempt %s was never recorded (dispatch stopped or lost its lease mid-call); %s',
               attempts, verdict->>'why')
           END AS reason
         FROM claimed
       )
       UPDATE messages AS m SET
         lease_until = CASE WHEN d.action = 'lease' THEN now() + make_interval(secs => $2) END,
         lease_token = CASE WHEN d.action = 'lease' THEN $7::uuid END,
         attempts = CASE WHEN d.action = 'lease' THEN m.attempts + 1 ELSE m.attempts END,
         status = CASE WHEN d.action = 'lease' THEN m.status ELSE 'unknown' END,
         status_history = CASE WHEN NOT d.lost THEN m.status_history
           ELSE m.status_history || jsonb_build_array(jsonb_build_object('status', 'unknown', 'at', $8::text, 'reason', d.reason)) END,
         failure_reason = CASE WHEN d.action = 'lease' THEN m.failure_reason ELSE d.reason END,
         next_attempt_at = CASE WHEN d.action = 'lease' THEN m.next_attempt_at END,
         updated_at = now()
       FROM decided d
       WHERE m.id = d.message_id
       RETURNING ${COLUMNS}, request->'message'->>'sender' AS sender, request->'message'->>'subject' AS subject,
         request->>'category' AS category, request->>'decidedAt' AS decided_at, request->'message'->>'expireAfter' AS expire_after`,
      [
        request.limit,
        request.leaseSeconds,
        throttled.map((t) => t.channel),
        throttled.map((t) => t.provider),
        throttled.map((t) => t.allowance),
        request.maxAttempts,
        request.leaseToken,
        request.at,
        JSON.stringify(request.unknownVerdicts),
      ],
    );
  }

  /**
   * Extends the lease of a claim's messages it still holds (one statement, a HOT update);
   * answers their ids. A message missing from the answer was taken over or settled.
   */
  async renewLeases(leaseToken: string, ids: string[], leaseSeconds: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const result = await this.dataSource.query(
      `UPDATE messages SET lease_until = now() + make_interval(secs => $3)
       WHERE id = ANY($1::uuid[]) AND lease_token = $2::uuid AND status = 'queued'
       RETURNING id`,
      [ids, leaseToken, leaseSeconds],
    );
    return new Set(returnedRows<{ id: string }>(result).map((r) => r.id));
  }

  /**
   * Writes the outcome of a batch of attempts in one statement (one JSON document, as
   * insertNew), fenced: only to messages still leased under `leaseToken`. Answers the ids it
   * changed; a result missing from the answer lost its lease (another sender took the
   * message over) and changed nothing.
   */
  async recordAttempts(manager: EntityManager, leaseToken: string, records: AttemptRecord[]): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const result = await manager.query(
      `UPDATE messages AS m SET
         status = r.status,
         status_history = m.status_history || r.append_history,
         provider_message_id = COALESCE(r.provider_message_id, m.provider_message_id),
         failure_reason = CASE WHEN r.released THEN m.failure_reason ELSE r.failure_reason END,
         attempts = CASE WHEN r.released THEN m.attempts - 1 ELSE m.attempts END,
         next_attempt_at = CASE WHEN r.retry_in_ms IS NOT NULL THEN now() + make_interval(secs => r.retry_in_ms / 1000.0)
           WHEN r.released THEN m.next_attempt_at END,
         lease_until = NULL,
         lease_token = NULL,
         updated_at = now()
       FROM jsonb_to_recordset($1::jsonb)
         AS r(id uuid, released boolean, status text, append_history jsonb, provider_message_id text, failure_reason text, retry_in_ms int)
       WHERE m.id = r.id AND m.status = 'queued' AND m.lease_token = $2::uuid
       RETURNING m.id`,
      [
        JSON.stringify(
          records.map((r) => ({
            id: r.id,
            released: r.released,
            status: r.status,
            append_history: r.appendHistory,
            provider_message_id: r.providerMessageId,
            failure_reason: r.failureReason,
            retry_in_ms: r.retryInMs,
          })),
        ),
        leaseToken,
      ],
    );
    return new Set(returnedRows<{ id: string }>(result).map((r) => r.id));
  }

  async findById(id: string): Promise<StoredMessage | null> {
    if (!UUID.test(id)) return null;
    const rows: MessageRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM messages WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The message, locked until the transaction ends (status callbacks serialise on it). */
  async lockById(manager: EntityManager, id: string): Promise<StoredMessage | null> {
    if (!UUID.test(id)) return null;
    const rows: MessageRow[] = await manager.query(`SELECT ${COLUMNS} FROM messages WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * The newest message a provider took for `recipient` on `channel`: what an inbound reply
   * answers, and whose user wrote. A STOP or START confirmation is no one's message: never it.
   */
  async latestSentTo(channel: Channel, recipient: string): Promise<StoredMessage | null> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM messages
       WHERE recipient = $1 AND channel = $2 AND status NOT IN ('queued', 'failed') AND campaign_id <> $3
       ORDER BY created_at DESC LIMIT 1`,
      [recipient, channel, KEYWORD_REPLY_CAMPAIGN],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The messages a provider knows by these ids, locked until the transaction ends (in id order: no deadlocks). */
  async lockByProviderIds(manager: EntityManager, provider: string, providerMessageIds: string[]): Promise<StoredMessage[]> {
    if (providerMessageIds.length === 0) return [];
    const rows: MessageRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM messages WHERE provider = $1 AND provider_message_id = ANY($2::text[]) ORDER BY id FOR UPDATE`,
      [provider, [...new Set(providerMessageIds)]],
    );
    return rows.map(fromRow);
  }

  /** Writes reported statuses to locked messages in one statement. */
  async recordStatuses(manager: EntityManager, updates: StatusUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE messages AS m SET status = u.status, status_history = m.status_history || u.append_history,
         failure_reason = COALESCE(u.failure_reason, m.failure_reason), updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[]) AS u(id, status, append_history, failure_reason)
       WHERE m.id = u.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => u.status),
        updates.map((u) => JSON.stringify(u.appendHistory)),
        updates.map((u) => u.failureReason),
      ],
    );
  }

  /** Messages of a user and/or a campaign, newest first. */
  async list(filter: MessageFilter): Promise<StoredMessage[]> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM messages
       WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR campaign_id = $2)
       ORDER BY created_at DESC, id DESC
       LIMIT $3`,
      [filter.userId ?? null, filter.campaignId ?? null, filter.limit],
    );
    return rows.map(fromRow);
  }
}

interface MessageRow {
  id: string;
  send_id: string;
  campaign_id: string;
  campaign_version: number;
  step_id: string;
  user_id: string;
  trigger_event_id: string;
  channel: Channel;
  provider: string;
  recipient: string;
  body: string | null;
  segments: number | null;
  status: MessageStatus;
  status_history: StatusStamp[];
  failure_reason: string | null;
  provider_message_id: string | null;
  attempts: number;
  created_at: Date;
}

/** What a claim reads of the request besides the message's columns. */
interface ClaimedColumns {
  sender: string | null;
  subject: string | null;
  category: Category;
  decided_at: string | null;
  expire_after: string | null;
}

/**
 * A message insertNew stored leased, as the claim would have answered it: queued, its
 * first attempt counted, its history the `queued` stamp at `at`.
 */
export function claimedOnInsert(message: NewMessage, at: string): ClaimedMessage {
  const { request } = message;
  return {
    id: message.id,
    sendId: request.sendId,
    campaignId: request.campaignId,
    campaignVersion: request.campaignVersion,
    stepId: request.stepId,
    userId: request.userId,
    triggerEventId: request.triggerEventId,
    channel: request.channel,
    provider: message.provider,
    recipient: message.recipient,
    body: message.body,
    segments: message.segments,
    status: 'queued',
    statusHistory: [{ status: 'queued', at }],
    failureReason: message.failureReason,
    providerMessageId: null,
    attempts: 1,
    createdAt: new Date(at).toISOString(),
    sender: request.message.sender ?? null,
    subject: request.message.subject ?? null,
    category: request.category,
    decidedAt: request.decidedAt ?? at,
    expireAfter: request.message.expireAfter ?? null,
  };
}

function claimedFromRow(row: MessageRow & ClaimedColumns): ClaimedMessage {
  const message = fromRow(row);
  return {
    ...message,
    sender: row.sender,
    subject: row.subject,
    category: row.category,
    decidedAt: row.decided_at ?? message.createdAt,
    expireAfter: row.expire_after,
  };
}

function fromRow(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    sendId: row.send_id,
    campaignId: row.campaign_id,
    campaignVersion: row.campaign_version,
    stepId: row.step_id,
    userId: row.user_id,
    triggerEventId: row.trigger_event_id,
    channel: row.channel,
    provider: row.provider,
    recipient: row.recipient,
    body: row.body,
    segments: row.segments,
    status: row.status,
    statusHistory: row.status_history,
    failureReason: row.failure_reason,
    providerMessageId: row.provider_message_id,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
  };
}
