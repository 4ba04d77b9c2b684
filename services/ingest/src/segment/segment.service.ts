import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CONSENT_SOURCES,
  NotFoundError,
  type ConsentProof,
  type EventEnvelope,
  type Profile,
  type ProfileUpdate,
  type ValidationIssue,
} from '@nudge/contracts';
import { invalid } from '../common/input-validation';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { EventsService } from '../events/events.service';
import {
  checkSegmentMessage,
  type SegmentAction,
  type SegmentAlias,
  type SegmentGroup,
  type SegmentIdentify,
  type SegmentMessageType,
} from './segment-messages';
import { groupAttributesOf, profileUpdateOfIdentify } from './segment-profiles';
import { SegmentSettingsStore } from './segment-settings.store';

/** The consent source of every change a Segment call makes (the consent history's `source`). */
export const SEGMENT_CONSENT_SOURCE = CONSENT_SOURCES.segment;

/** Where a request came from, for the proof of the consent it records when its messages' `context` does not say. */
export interface SegmentOrigin {
  ip?: string;
  userAgent?: string;
}

/** How a request's messages are read: the route's call type, the batch's shared `context`, each message's error path. */
export interface SegmentRequest {
  messages: readonly unknown[];
  /** The call type the route gives (`/segment/v1/track`); batch items name their own. */
  type?: SegmentMessageType;
  batchContext?: Record<string, unknown>;
  /** The path naming message `index` in errors: `batch[3]` by default, nothing for a single call. */
  pathOf?: (index: number) => (string | number)[];
}

/** What the profiles side of ingest offers Segment calls (UsersService): merge, read, and alias (anonymous → known). */
export interface SegmentProfiles {
  get(userId: string): Promise<Profile>;
  /** `update` may be computed from the stored profile, under the user's lock (a `group` adding to the list of groups). */
  merge(
    userId: string,
    update: ProfileUpdate | ((current: Profile) => ProfileUpdate),
    origin: { source: string; proof: ConsentProof },
  ): Promise<Profile>;
  alias(previousId: string, userId: string, origin: { source: string; proof: ConsentProof }): Promise<void>;
}
export const SEGMENT_PROFILES = Symbol('SEGMENT_PROFILES');

type ProfileAction = SegmentIdentify | SegmentGroup | SegmentAlias;
type ReadyAction = { kind: 'merge'; userId: string; update: ProfileUpdate; proof: ConsentProof } | SegmentGroup | SegmentAlias;

/**
 * Applies Segment calls (HTTP `/segment/v1/*`, or Segment-shaped records read from Kafka).
 * All or nothing: every message is checked, and every identify's update finished (its phone
 * read in the profile's country), before anything is applied; then aliases and profile
 * changes in the order sent, so the events that follow meet the profile; then every event of
 * the request in ONE producer call, as `POST /v1/events/batch` publishes them. A batch of
 * events only does no per-message I/O.
 */
@Injectable()
export class SegmentService {
  private readonly logger = new Logger(SegmentService.name);

  constructor(
    private readonly events: EventsService,
    @Inject(SEGMENT_PROFILES) private readonly profiles: SegmentProfiles,
    private readonly settings: SegmentSettingsStore,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  /** The number of messages applied; a ValidationError (400) naming `batch[3].event` and nothing applied otherwise. */
  async apply(request: SegmentRequest, origin: SegmentOrigin): Promise<number> {
    const { envelopes, profileActions } = this.read(request);
    const ready = await this.finish(profileActions);
    for (const action of ready) await this.applyProfileAction(action, origin);
    if (envelopes.length > 0) await this.events.acceptEnvelopes(envelopes);
    this.logger.debug(`applied ${request.messages.length} Segment messages (${envelopes.length} events, ${ready.length} profile changes)`);
    return request.messages.length;
  }

  private read(request: SegmentRequest): { envelopes: EventEnvelope[]; profileActions: ProfileAction[] } {
    const receivedAt = new Date();
    const reading = {
      ageLimit: { maxEventAgeMs: this.config.NUDGE_MAX_EVENT_AGE },
      ...(request.type === undefined ? {} : { type: request.type }),
      ...(request.batchContext === undefined ? {} : { batchContext: request.batchContext }),
    };
    const pathOf = request.pathOf ?? ((index: number) => ['batch', index]);
    const envelopes: EventEnvelope[] = [];
    const profileActions: ProfileAction[] = [];
    const issues: ValidationIssue[] = [];
    request.messages.forEach((message, index) => {
      const checked = checkSegmentMessage(message, receivedAt, reading, pathOf(index));
      if (!checked.ok) issues.push(...checked.issues);
      else for (const action of checked.value) sortAction(action, envelopes, profileActions);
    });
    if (issues.length > 0) {
      this.events.countRejected(request.messages.length);
      throw invalid('Segment batch', issues);
    }
    return { envelopes, profileActions };
  }

  /** Finishes every identify's update before any is applied, so a phone that cannot be read refuses the whole request. */
  private async finish(actions: ProfileAction[]): Promise<ReadyAction[]> {
    const needsSettings = actions.some((action) => action.kind === 'identify' && action.consentPreferences !== undefined);
    const consentCategories = needsSettings ? (await this.settings.segmentSettings()).consentCategories : {};
    const ready: ReadyAction[] = [];
    for (const action of actions) {
      if (action.kind !== 'identify') {
        ready.push(action);
        continue;
      }
      // The stored profile is read when the identify carries an address: for the country a national
      // phone is read in, and for the transactional consent the address may already have.
      const learnsAddress = action.phone !== undefined || action.update.channels?.email !== undefined;
      const stored = learnsAddress ? await this.storedProfile(action.userId) : null;
      const update = profileUpdateOfIdentify(action, {
        consentCategories,
        ...(stored?.country == null ? {} : { storedCountry: stored.country }),
        ...(stored === null ? {} : { storedChannels: stored.channels }),
      });
      ready.push({ kind: 'merge', userId: action.userId, update, proof: action.proof });
    }
    return ready;
  }

  private async applyProfileAction(action: ReadyAction, origin: SegmentOrigin): Promise<void> {
    const change = { source: SEGMENT_CONSENT_SOURCE, proof: proofOf(action.proof, origin) };
    switch (action.kind) {
      case 'alias':
        await this.profiles.alias(action.previousId, action.userId, change);
        return;
      case 'merge':
        if (Object.keys(action.update).length > 0) await this.profiles.merge(action.userId, action.update, change);
        return;
      case 'group':
        // Computed under the user's lock, so two groups joined at once are both kept.
        await this.profiles.merge(action.userId, (current) => ({ attributes: groupAttributesOf(action, current.attributes) }), change);
        return;
    }
  }

  private async storedProfile(userId: string): Promise<Profile | null> {
    try {
      return await this.profiles.get(userId);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }
}

function sortAction(action: SegmentAction, envelopes: EventEnvelope[], profileActions: ProfileAction[]): void {
  if (action.kind === 'event') envelopes.push(action.envelope);
  else profileActions.push(action);
}

/** The message's own `context.ip` / `context.userAgent`, else the request's. */
function proofOf(message: ConsentProof, origin: SegmentOrigin): ConsentProof {
  const ip = message.ip ?? origin.ip;
  const userAgent = message.userAgent ?? origin.userAgent;
  return { ...(ip === undefined ? {} : { ip }), ...(userAgent === undefined ? {} : { userAgent }) };
}
