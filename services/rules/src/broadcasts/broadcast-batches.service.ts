import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DecisionOutcome } from '@nudge/contracts';
import { sentByChannel, type DecisionRecord } from '@nudge/engine';
import { profileAddresses } from '@nudge/channel-rules';
import { inTransaction, loadProfiles, loadUserSuppressions, lockUsers } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK } from '../clock';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { EffectsWriter } from '../effects/effects-writer';
import { SettingsCatalog } from '../settings/settings-catalog.service';
import { capLedgers } from '../state/send-ledger';
import { nextAudiencePage } from './audience-page';
import { audienceOf } from './broadcast-campaign';
import { BroadcastCampaigns } from './broadcast-campaigns.service';
import { decideBroadcastSends } from './broadcast-sends';
import { BroadcastsStore, type StoredBroadcast } from './broadcasts.store';
import { batchSizeFor, pauseAfter, sendPaceOf } from './send-pace';

/** A committed batch, for the metrics and the log. */
interface BatchSummary {
  broadcastId: string;
  decisions: readonly DecisionRecord[];
  first: boolean;
  finished: boolean;
  audienceSize: number;
}

/**
 * Runs broadcasts one batch at a time. A batch is one transaction: take the broadcast
 * whose next batch is due (its row locked, SKIP LOCKED), read the next page of its
 * audience after the cursor, lock those users, read their profiles, keep those the
 * conditions admit, decide each send as a campaign's (consent, topic, window, country,
 * caps), publish the send requests, write the decisions, deferrals and cap ledger, and
 * move the cursor and counts. A crash anywhere before the commit redoes the whole page;
 * its send ids are the same, so dispatch keeps each message once.
 */
@Injectable()
export class BroadcastBatches {
  private readonly logger = new Logger('broadcasts');
  /** Which instance ran a broadcast's last batch, for operators reading the table. */
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
    private readonly store: BroadcastsStore,
    private readonly campaigns: BroadcastCampaigns,
    private readonly settings: SettingsCatalog,
    private readonly writer: EffectsWriter,
  ) {}

  /** Runs the next due batch of any broadcast; false when none is due. */
  async runNext(): Promise<boolean> {
    // Most of the time no broadcast is running: one indexed look, no transaction.
    if (!(await this.store.anyDue(this.clock.now()))) return false;
    let claimed: string | undefined;
    let batch: BatchSummary | null;
    try {
      batch = await inTransaction(this.dataSource, async (manager) => {
        const now = this.clock.now();
        const broadcast = await this.store.claimDue(manager, now);
        if (!broadcast) return null;
        claimed = broadcast.id;
        return this.runBatch(manager, broadcast, now);
      });
    } catch (error) {
      // Named outside the transaction, so inTransaction still sees a deadlock's code and retries it.
      throw claimed ? new Error(`broadcast ${claimed}: ${(error as Error).message}`, { cause: error }) : error;
    }
    if (!batch) return false;
    this.writer.committed(batch);
    if (batch.first) this.logger.log(`broadcast ${batch.broadcastId} started`);
    if (batch.finished) this.logger.log(`broadcast ${batch.broadcastId} completed: ${batch.audienceSize} users decided`);
    return true;
  }

  private async runBatch(manager: EntityManager, broadcast: StoredBroadcast, now: Date): Promise<BatchSummary> {
    const campaign = this.campaigns.of(broadcast.document);
    const settings = this.settings.current();
    const pace = sendPaceOf(campaign.channels, settings);
    const limit = batchSizeFor(pace, this.config.BROADCAST_BATCH_SIZE);
    const page = await nextAudiencePage(manager, { topic: broadcast.document.audience.topic, after: broadcast.cursor, limit });
    await lockUsers(manager, page);
    const profiles = await loadProfiles(manager, page);
    const audience = await audienceOf(campaign, page, profiles, broadcast.sendAt);
    const members = new Map(audience.map((p) => [p.userId, p]));
    const ledgers = await capLedgers(manager, [...members.keys()], campaign.document.frequencyCaps ?? [], members, settings, now);
    const suppressions = await loadUserSuppressions(manager, audience, profileAddresses);
    const sends = decideBroadcastSends({ campaign, sendAt: broadcast.sendAt, audience, ledgers, suppressions, settings, now });
    await this.writer.write(manager, sends);
    const finished = page.length < limit;
    await this.store.advance(manager, broadcast.id, {
      cursor: page.at(-1) ?? broadcast.cursor,
      counts: addCounts(broadcast.counts, sends.decisions),
      processed: broadcast.processed + page.length,
      audienceSize: broadcast.audienceSize + audience.length,
      finished,
      nextBatchAt: new Date(now.getTime() + pauseAfter(pace, sentByChannel(sends))),
      now,
      owner: this.owner,
    });
    return {
      broadcastId: broadcast.id,
      decisions: sends.decisions,
      first: broadcast.startedAt === null,
      finished,
      audienceSize: broadcast.audienceSize + audience.length,
    };
  }
}

function addCounts(
  counts: Partial<Record<DecisionOutcome, number>>,
  decisions: readonly DecisionRecord[],
): Partial<Record<DecisionOutcome, number>> {
  const next = { ...counts };
  for (const d of decisions) next[d.outcome] = (next[d.outcome] ?? 0) + 1;
  return next;
}
