import { Injectable } from '@nestjs/common';
import { ERASED_USER_REASON, ERASED_VALUE, erasedUserKey } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import type { NewMessage } from '../messages/message';

/**
 * Send requests of erased users, recorded as `failed` messages that hold nothing personal (the
 * user's key for an id, no recipient, body or request), so a replay of the request creates
 * nothing and the campaign's counts still see it.
 */
@Injectable()
export class DroppedSendsStore {
  /** Inserts the dropped messages (send ids already stored are skipped); answers how many were new. */
  async record(manager: EntityManager, dropped: NewMessage[], salt: string, at: string): Promise<number> {
    if (dropped.length === 0) return 0;
    const rows = dropped.map((m) => ({
      id: m.id,
      send_id: m.request.sendId,
      campaign_id: m.request.campaignId,
      campaign_version: m.request.campaignVersion,
      step_id: m.request.stepId,
      user_key: erasedUserKey(salt, m.request.userId),
      trigger_event_id: m.request.triggerEventId,
      channel: m.request.channel,
      provider: m.provider,
    }));
    const inserted: unknown[] = await manager.query(
      `INSERT INTO messages (id, send_id, campaign_id, campaign_version, step_id, user_id, trigger_event_id, channel, provider,
         recipient, body, segments, status, status_history, failure_reason, attempts, request, created_at, updated_at)
       SELECT d.id, d.send_id, d.campaign_id, d.campaign_version, d.step_id, d.user_key, d.trigger_event_id, d.channel, d.provider,
         $3, NULL, NULL, 'failed', jsonb_build_array(jsonb_build_object('status', 'failed', 'at', $2::text)), $4, 0, '{}'::jsonb,
         $2::text::timestamptz, $2::text::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, send_id text, campaign_id text, campaign_version int, step_id text,
         user_key text, trigger_event_id text, channel text, provider text)
       ON CONFLICT (send_id) DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows), at, ERASED_VALUE, ERASED_USER_REASON],
    );
    return inserted.length;
  }
}
