import { Injectable } from '@nestjs/common';
import { suppressionAddress } from '@nudge/channel-rules';
import type { EventEnvelope } from '@nudge/contracts';
import { NO_EFFECTS, planOptIns, type Effects } from '@nudge/engine';
import { loadProfiles } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import { SettingsCatalog } from '../settings/settings-catalog.service';

/**
 * Double opt-in confirmations (issue #12 item 4): each `consent_requested` event (a marketing
 * consent set to `"pending"`) is decided like a send — logged in the decision log under the
 * system campaign `double-opt-in` — and a confirmation goes out on the event's channel with
 * that channel's `doubleOptIn` message (the engine's `planOptIns`). Runs inside trigger
 * evaluation's transaction, with the users locked and the event marked processed, so a
 * redelivered event decides nothing twice; the send id derives from the event (one per pending
 * transition: user, profile version, channel), so a publish retried after a rollback is one
 * message to dispatch. The address asked is remembered (`pending_opt_ins`) for dispatch to find
 * when a YES comes from it.
 */
@Injectable()
export class OptInConfirmations {
  constructor(private readonly settings: SettingsCatalog) {}

  /** Plans the confirmations of `requests` (their users locked by the caller). */
  async plan(manager: EntityManager, requests: EventEnvelope[], now: Date): Promise<Effects> {
    if (requests.length === 0) return NO_EFFECTS;
    const profiles = await loadProfiles(
      manager,
      requests.map((e) => e.userId),
    );
    return planOptIns({ profiles, settings: this.settings.current(), addressKey: suppressionAddress }, requests, now);
  }
}
