import { Inject, Injectable } from '@nestjs/common';
import { profileAddresses } from '@nudge/channel-rules';
import { chooseChannel } from '@nudge/decisions';
import { loadProfiles, loadUserSuppressions } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { nextAudiencePage } from './audience-page';
import { audienceOf, compileBroadcast } from './broadcast-campaign';
import { parseAudienceEstimateRequest } from './broadcast-request';

/** How long one estimate may scan profiles; past it the answer says it is not complete. */
export const AUDIENCE_ESTIMATE_MS = 10_000;
/** Profiles read per page of the scan. */
const PAGE = 1_000;
/** The id the estimate's broadcast is compiled under (never stored). */
const ESTIMATE_ID = 'audience-estimate';

/** What `POST /v1/broadcasts/audience` answers. */
export interface AudienceEstimate {
  /** Profiles the broadcast would decide: its audience size, as `audienceSize` would end. */
  audience: number;
  /** Of those, the ones who have not switched the broadcast's topic off (all, without a topic). */
  subscribed: number;
  /**
   * Of those, the ones with an address, consent for the category and no opt-out on one of the
   * message's channels, as now (null without `message.channel`). Windows and caps are decided at send time.
   */
  reachable: number | null;
  /** Profiles read. */
  scanned: number;
  /** False when the scan stopped at its time limit: the counts are then of the profiles scanned. */
  complete: boolean;
}

/**
 * The audience of a broadcast before it is sent: the same pages of profiles and the same
 * audience test (`audienceOf` of the compiled broadcast) as the running broadcast, read without
 * locks, counted and dropped page by page, bounded in time.
 */
@Injectable()
export class AudienceEstimates {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async estimate(body: unknown): Promise<AudienceEstimate> {
    const request = parseAudienceEstimateRequest(body);
    const campaign = compileBroadcast({
      ...request,
      id: ESTIMATE_ID,
      name: request.name ?? ESTIMATE_ID,
      // Only the audience is tested here; a message, when given, names the channels to count reachable users on.
      message: request.message ?? { channel: 'sms', body: '-' },
    });
    const now = this.clock.now();
    const deadline = Date.now() + AUDIENCE_ESTIMATE_MS;
    const manager = this.dataSource.manager;
    const estimate: AudienceEstimate = { audience: 0, subscribed: 0, reachable: request.message ? 0 : null, scanned: 0, complete: false };
    for (let after: string | null = null; ;) {
      const page = await nextAudiencePage(manager, { topic: request.audience.topic, after, limit: PAGE });
      const members = await audienceOf(campaign, page, await loadProfiles(manager, page), now);
      const topic = request.audience.topic;
      const subscribed = members.filter((p) => topic === undefined || p.preferences.topics[topic] === true);
      estimate.scanned += page.length;
      estimate.audience += members.length;
      estimate.subscribed += subscribed.length;
      if (estimate.reachable !== null) {
        const suppressions = await loadUserSuppressions(manager, subscribed, profileAddresses);
        estimate.reachable += subscribed.filter(
          (p) => chooseChannel(campaign.channels, campaign.category, p, suppressions.get(p.userId)).outcome === 'sent',
        ).length;
      }
      if (page.length < PAGE) return { ...estimate, complete: true };
      if (Date.now() > deadline) return estimate;
      after = page.at(-1) ?? after;
    }
  }
}
