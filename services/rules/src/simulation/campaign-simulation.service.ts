import { Inject, Injectable } from '@nestjs/common';
import { compileCampaign, type CompiledCampaign } from '@nudge/campaigns';
import { profileAddresses } from '@nudge/channel-rules';
import { DECISION_OUTCOMES, NotFoundError, ValidationError, type DecisionOutcome, type Profile } from '@nudge/contracts';
import { loadProfiles, loadUserSuppressions } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { simulate, type SimulatedDecision, type SimulationInput } from '@nudge/simulation';
import { setImmediate as yieldToOtherWork } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { SettingsCatalog } from '../settings/settings-catalog.service';
import { RecentEventsReader } from './recent-events';
import type { SimulationRequest } from './simulation-request';

/** How long one simulation may take, reading the events included. */
export const SIMULATION_TIMEOUT_MS = 10_000;
/** The most decisions one answer lists (the counts cover them all). */
export const MAX_LISTED_DECISIONS = 50_000;

/** What `POST /v1/campaigns/simulate` answers. */
export interface SimulationResult {
  campaignId: string;
  /** The saved version simulated; null for a document given in the request. */
  campaignVersion: number | null;
  events: number;
  /** Records of the events topic that were not events (lastEvents only). */
  eventsSkipped: number;
  users: number;
  /** Decisions by outcome (every outcome shown). */
  outcomes: Record<DecisionOutcome, number>;
  /** Every decision in virtual-time order: who would get what, when, and who would not, and why. */
  decisions: SimulatedDecision[];
  decisionsTruncated: boolean;
}

/**
 * "Try before saving": one campaign over a set of events on virtual time, with the same engine
 * as `nudge simulate` (`@nudge/simulation`) and the settings in force. Bounded: at most 10,000
 * events and 10 s, yielding to rules' own work between events.
 */
@Injectable()
export class CampaignSimulation {
  constructor(
    private readonly campaigns: CampaignCatalog,
    private readonly settings: SettingsCatalog,
    private readonly recentEvents: RecentEventsReader,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async run(request: SimulationRequest): Promise<SimulationResult> {
    const deadline = Date.now() + SIMULATION_TIMEOUT_MS;
    const campaign = this.campaignOf(request.campaign);
    const { events, skipped } =
      'given' in request.events
        ? { events: request.events.given, skipped: 0 }
        : await this.recentEvents.last(request.events.last, SIMULATION_TIMEOUT_MS);
    const users = [...new Set(events.map((e) => e.userId))];
    const { profiles, suppressions } = request.profiles
      ? { profiles: request.profiles, suppressions: undefined }
      : await this.storedUsers(users);
    const input: SimulationInput = {
      campaigns: [campaign],
      settings: this.settings.current(),
      profiles,
      events,
      ...(suppressions ? { suppressions } : {}),
      checkpoint: async () => {
        await yieldToOtherWork();
        if (Date.now() > deadline) {
          const field = 'given' in request.events ? 'events' : 'lastEvents';
          throw new ValidationError('simulation took too long', [
            { path: field, message: `the simulation took longer than ${SIMULATION_TIMEOUT_MS / 1000} s: try fewer events` },
          ]);
        }
      },
    };
    const decisions = await simulate(input);
    const outcomes = Object.fromEntries(DECISION_OUTCOMES.map((o) => [o, 0])) as Record<DecisionOutcome, number>;
    for (const decision of decisions) outcomes[decision.outcome] += 1;
    return {
      campaignId: campaign.id,
      campaignVersion: 'id' in request.campaign ? campaign.version : null,
      events: events.length,
      eventsSkipped: skipped,
      users: users.length,
      outcomes,
      decisions: decisions.slice(0, MAX_LISTED_DECISIONS),
      decisionsTruncated: decisions.length > MAX_LISTED_DECISIONS,
    };
  }

  /** The saved campaign as it runs, or the given document validated (each issue named under `campaign.`). */
  private campaignOf(campaign: SimulationRequest['campaign']): CompiledCampaign {
    if ('id' in campaign) {
      const running = this.campaigns.get(campaign.id);
      if (!running) throw new NotFoundError(`no campaign ${campaign.id}`);
      return running;
    }
    try {
      return compileCampaign(this.campaigns.validate(campaign.document), 1);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const details = error.details.map((d) => ({ path: d.path ? `campaign.${d.path}` : 'campaign', message: d.message }));
      throw new ValidationError(`invalid campaign: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    }
  }

  /** The stored profiles of these users and the opt-outs of their addresses, as rules reads them at send time. */
  private async storedUsers(userIds: string[]): Promise<{ profiles: Profile[]; suppressions: SimulationInput['suppressions'] }> {
    const manager = this.dataSource.manager;
    const profiles = await loadProfiles(manager, userIds);
    const suppressions = await loadUserSuppressions(manager, profiles.values(), profileAddresses);
    return { profiles: [...profiles.values()], suppressions };
  }
}
