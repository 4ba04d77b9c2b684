import { Inject, Injectable } from '@nestjs/common';
import type { Decision, DecisionOutcome } from '@nudge/contracts';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import type { StatsWindow } from './stats-window';

/**
 * The decision log, read: every "sent" and every "not sent", with the reason as a sentence.
 * Written only by the EffectsWriter, with the rest of a batch's effects.
 */
@Injectable()
export class DecisionLog {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The delivery funnel of a campaign's messages: how many reached each status at some
   * point (a clicked message was also read and delivered, even if the provider never said).
   */
  async deliveryFunnel(campaignId: string, window: StatsWindow | null = null): Promise<Record<(typeof FUNNEL_STEPS)[number], FunnelStep>> {
    const [row]: Record<string, string>[] = await this.dataSource.query(
      `SELECT ${REACHED_COUNTS}
       FROM (
         SELECT ${REACHED} AS reached
         FROM messages WHERE campaign_id = $1 AND ${IN_WINDOW('created_at')}
       ) AS reached_by_message`,
      [campaignId, ...windowParams(window)],
    );
    const sent = Number(row?.sent ?? 0);
    return Object.fromEntries(
      FUNNEL_STEPS.map((step) => {
        const count = Number(row?.[step] ?? 0);
        return [step, { count, rate: sent === 0 ? null : Math.round((count / sent) * 10_000) / 10_000 }];
      }),
    ) as Record<(typeof FUNNEL_STEPS)[number], FunnelStep>;
  }

  /** Sends and conversions of a campaign by group: treated (sent) and held out (control). */
  async conversionsByGroup(
    campaignId: string,
    window: StatsWindow | null = null,
  ): Promise<Record<'treated' | 'held_out', { sends: number; conversions: number }>> {
    const rows: { grp: 'treated' | 'held_out'; sends: string; conversions: string }[] = await this.dataSource.query(
      `SELECT a.grp, count(*) AS sends, count(c.send_id) AS conversions
       FROM attributions a LEFT JOIN conversions c ON c.send_id = a.send_id
       WHERE a.campaign_id = $1 AND ${IN_WINDOW('a.at')} GROUP BY a.grp`,
      [campaignId, ...windowParams(window)],
    );
    const of = (grp: 'treated' | 'held_out') => {
      const row = rows.find((r) => r.grp === grp);
      return { sends: Number(row?.sends ?? 0), conversions: Number(row?.conversions ?? 0) };
    };
    return { treated: of('treated'), held_out: of('held_out') };
  }

  /** A user's decisions, newest first. */
  async forUser(userId: string, limit: number): Promise<Decision[]> {
    const rows: DecisionRow[] = await this.dataSource.query(
      `SELECT campaign_id, campaign_version, trigger_event_id, step_id, outcome, reason, at, scheduled_for
       FROM decisions WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      campaignVersion: r.campaign_version,
      triggerEventId: r.trigger_event_id,
      stepId: r.step_id,
      outcome: r.outcome,
      reason: r.reason,
      at: r.at.toISOString(),
      scheduledFor: r.scheduled_for?.toISOString() ?? null,
    }));
  }

  /** How many decisions of each outcome a campaign has had. */
  async outcomeCounts(campaignId: string, window: StatsWindow | null = null): Promise<Partial<Record<DecisionOutcome, number>>> {
    const rows: { outcome: DecisionOutcome; n: string }[] = await this.dataSource.query(
      `SELECT outcome, count(*) AS n FROM decisions WHERE campaign_id = $1 AND ${IN_WINDOW('at')} GROUP BY outcome`,
      [campaignId, ...windowParams(window)],
    );
    return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
  }

  /**
   * The delivery funnel per day (UTC, of the message's creation) and channel: how many of the
   * campaign's messages created in the window reached each status, and how many converted.
   */
  async funnelByDay(campaignId: string, window: StatsWindow): Promise<FunnelDay[]> {
    const rows: Record<'day' | 'channel' | (typeof FUNNEL_STEPS)[number] | 'converted', string>[] = await this.dataSource.query(
      `SELECT to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, m.channel, ${REACHED_COUNTS},
              count(c.send_id) AS converted
       FROM (
         SELECT created_at, channel, send_id, ${REACHED} AS reached
         FROM messages WHERE campaign_id = $1 AND ${IN_WINDOW('created_at')}
       ) AS m LEFT JOIN conversions c ON c.send_id = m.send_id
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [campaignId, ...windowParams(window)],
    );
    return rows.map((r) => ({
      day: r.day,
      channel: r.channel,
      sent: Number(r.sent),
      delivered: Number(r.delivered),
      read: Number(r.read),
      clicked: Number(r.clicked),
      converted: Number(r.converted),
    }));
  }
}

export interface FunnelStep {
  count: number;
  /** Share of the messages sent that reached this step (null before any send). */
  rate: number | null;
}

const FUNNEL_STEPS = ['sent', 'delivered', 'read', 'clicked'] as const;

/** One day and channel of a campaign's funnel. */
export interface FunnelDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  channel: string;
  sent: number;
  delivered: number;
  read: number;
  clicked: number;
  converted: number;
}

/** The furthest status a message reached (a clicked message was also read and delivered, even if the provider never said). */
const REACHED = `(SELECT max(CASE h->>'status' WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'clicked' THEN 4 ELSE 0 END)
                 FROM jsonb_array_elements(status_history) AS h)`;

/** How many messages reached each step, over rows with `reached`. */
const REACHED_COUNTS = `count(*) FILTER (WHERE reached >= 1) AS sent,
         count(*) FILTER (WHERE reached >= 2) AS delivered,
         count(*) FILTER (WHERE reached >= 3) AS read,
         count(*) FILTER (WHERE reached >= 4) AS clicked`;

/** A column within the window of parameters $2 (since) and $3 (until), each null for no bound. */
const IN_WINDOW = (column: string) => `($2::timestamptz IS NULL OR ${column} >= $2) AND ($3::timestamptz IS NULL OR ${column} < $3)`;

function windowParams(window: StatsWindow | null): [Date | null, Date | null] {
  return [window?.since ?? null, window?.until ?? null];
}

interface DecisionRow {
  campaign_id: string;
  campaign_version: number;
  trigger_event_id: string;
  step_id: string;
  outcome: DecisionOutcome;
  reason: string;
  at: Date;
  scheduled_for: Date | null;
}
