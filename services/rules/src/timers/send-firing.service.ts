import { Injectable } from '@nestjs/common';
import type { LedgerEntry } from '@nudge/capping';
import type { Profile } from '@nudge/contracts';
import { NO_EFFECTS, planDue, type Effects, type LedgerRow, type PendingSend } from '@nudge/engine';
import { profileAddresses } from '@nudge/channel-rules';
import { loadProfiles, loadUserSuppressions } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { SettingsCatalog } from '../settings/settings-catalog.service';
import { capLedgers } from '../state/send-ledger';

/** What a caller that fires sends inside its own transaction already knows. */
export interface FiringCaller {
  /** Profiles just read under the same locks: saves a query. */
  profiles?: ReadonlyMap<string, Profile>;
  /** Sends already planned in this transaction and not yet written: they count against caps. */
  planned?: readonly LedgerRow[];
}

/**
 * Sends that are due: loads what deciding them at send time reads (campaigns — broadcasts'
 * too, through the catalog —, profiles, cap ledgers, opt-outs), inside the caller's
 * transaction with the users locked, and hands it to the engine's `planDue`. Used by the timer
 * poller and, for sends due at once and fallback steps dispatch woke, by trigger evaluation.
 * The caller writes the effects (EffectsWriter).
 */
@Injectable()
export class SendFiring {
  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly settings: SettingsCatalog,
  ) {}

  async plan(manager: EntityManager, due: readonly PendingSend[], now: Date, caller: FiringCaller = {}): Promise<Effects> {
    if (due.length === 0) return NO_EFFECTS;
    const userIds = due.map((s) => s.userId);
    const profiles = await this.profilesOf(manager, userIds, caller.profiles);
    const settings = this.settings.current();
    const campaigns = await this.catalog.resolve(
      manager,
      due.map((s) => s.campaignId),
    );
    const caps = due.flatMap((s) => campaigns.get(s.campaignId)?.document.frequencyCaps ?? []);
    const ledgers = withPlanned(await capLedgers(manager, userIds, caps, profiles, settings, now), caller.planned ?? []);
    const suppressions = await loadUserSuppressions(manager, profiles.values(), profileAddresses);
    return planDue({ campaigns, profiles, ledgers, suppressions, settings }, due, now);
  }

  /** The users' profiles: those the caller read under the same locks, the others loaded. */
  private async profilesOf(
    manager: EntityManager,
    userIds: string[],
    known: ReadonlyMap<string, Profile> = new Map(),
  ): Promise<Map<string, Profile>> {
    const missing = userIds.filter((id) => !known.has(id));
    if (missing.length === 0) return new Map(known);
    return new Map([...known, ...(await loadProfiles(manager, missing))]);
  }
}

/** The loaded ledgers with the sends planned earlier in the same transaction (written only at its end). */
function withPlanned(ledgers: Map<string, LedgerEntry[]>, planned: readonly LedgerRow[]): Map<string, LedgerEntry[]> {
  for (const { userId, ...entry } of planned) ledgers.set(userId, [...(ledgers.get(userId) ?? []), entry]);
  return ledgers;
}
