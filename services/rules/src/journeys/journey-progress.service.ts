import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@nudge/contracts';
import type { JourneyRun } from '@nudge/decisions';
import { NO_EFFECTS, planJourneyEvents, planJourneysDue, type Effects, type JourneyStart, type JourneyState } from '@nudge/engine';
import { profileAddresses } from '@nudge/channel-rules';
import { loadProfiles, loadUserSuppressions } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import { CampaignCatalog, versionKey } from '../campaigns/campaign-catalog.service';
import { SettingsCatalog } from '../settings/settings-catalog.service';
import { activeRunsOf } from '../state/journey-runs';
import { capLedgers } from '../state/send-ledger';

/**
 * Loads what moving journey runs on reads — the users' active runs, the versions they are pinned
 * to, profiles, cap ledgers, opt-outs — inside the caller's transaction with the users locked,
 * and hands it to the engine (`planJourneyEvents`, `planJourneysDue`). The caller writes the
 * effects: each step's run, decisions, sends, cap ledger entries and attributions in one
 * transaction, so a crash leaves either all of a step or none of it.
 */
@Injectable()
export class JourneyProgress {
  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly settings: SettingsCatalog,
  ) {}

  /** A batch of events against the active runs of its users, then new runs started. */
  async onEvents(manager: EntityManager, events: readonly EventEnvelope[], starts: readonly JourneyStart[], now: Date): Promise<Effects> {
    if (!this.catalog.index.hasJourneys && starts.length === 0) return NO_EFFECTS;
    const active = await activeRunsOf(
      manager,
      events.map((e) => e.userId),
    );
    if (active.length === 0 && starts.length === 0) return NO_EFFECTS;
    const runs = [
      ...active,
      ...starts.map(({ event, campaign }) => ({ userId: event.userId, campaignId: campaign.id, campaignVersion: campaign.version })),
    ];
    return planJourneyEvents(await this.state(manager, active, runs, now), events, starts, now);
  }

  /** Runs whose timer is due (claimed, with their users locked, by the caller), moved on. */
  async onDue(manager: EntityManager, due: JourneyRun[], now: Date): Promise<Effects> {
    return planJourneysDue(await this.state(manager, due, due, now), due, now);
  }

  private async state(
    manager: EntityManager,
    active: readonly JourneyRun[],
    runs: readonly Pick<JourneyRun, 'userId' | 'campaignId' | 'campaignVersion'>[],
    now: Date,
  ): Promise<JourneyState> {
    const versions = await this.catalog.versions(runs.map((run) => ({ id: run.campaignId, version: run.campaignVersion })));
    const userIds = runs.map((run) => run.userId);
    const profiles = await loadProfiles(manager, userIds);
    const settings = this.settings.current();
    const caps = [...versions.values()].flatMap((c) => c.document.frequencyCaps ?? []);
    return {
      runs: active,
      pinned: (id, version) => versions.get(versionKey(id, version)),
      current: (id) => this.catalog.get(id),
      profiles,
      ledgers: await capLedgers(manager, userIds, caps, profiles, settings, now),
      suppressions: await loadUserSuppressions(manager, profiles.values(), profileAddresses),
      settings,
    };
  }
}
