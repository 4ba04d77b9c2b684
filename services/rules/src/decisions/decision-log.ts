import { Inject, Injectable } from '@nestjs/common';
import type { Decision, DecisionOutcome } from '@nudge/contracts';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';

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
  async deliveryFunnel(campaignId: string): Promise<Record<(typeof FUNNEL_STEPS)[number], FunnelStep>> {
    const [row]: Record<string, string>[] = await this.dataSource.query(
      `SELECT
         count(*) FILTER (WHERE reached >= 1) AS sent,
         count(*) FILTER (WHERE reached >= 2) AS delivered,
         count(*) FILTER (WHERE reached >= 3) AS read,
         count(*) FILTER (WHERE reached >= 4) AS clicked
       FROM (
         SELECT (SELECT max(CASE h->>'status' WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'clicked' THEN 4 ELSE 0 END)
                 FROM jsonb_array_elements(status_history) AS h) AS reached
         FROM messages WHERE campaign_id = $1
       ) AS reached_by_message`,
      [campaignId],
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
  async conversionsByGroup(campaignId: string): Promise<Record<'treated' | 'held_out', { sends: number; conversions: number }>> {
    const rows: { grp: 'treated' | 'held_out'; sends: string; conversions: string }[] = await this.dataSource.query(
      `SELECT a.grp, count(*) AS sends, count(c.send_id) AS conversions
       FROM attributions a LEFT JOIN conversions c ON c.send_id = a.send_id
       WHERE a.campaign_id = $1 GROUP BY a.grp`,
      [campaignId],
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
  async outcomeCounts(campaignId: string): Promise<Partial<Record<DecisionOutcome, number>>> {
    const rows: { outcome: DecisionOutcome; n: string }[] = await this.dataSource.query(
      'SELECT outcome, count(*) AS n FROM decisions WHERE campaign_id = $1 GROUP BY outcome',
      [campaignId],
    );
    return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
  }
}

export interface FunnelStep {
  count: number;
  /** Share of the messages sent that reached this step (null before any send). */
  rate: number | null;
}

const FUNNEL_STEPS = ['sent', 'delivered', 'read', 'clicked'] as const;

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
