import type { EventEnvelope } from './event';
import { CATEGORIES, CHANNELS, type ChannelProfile, type Profile, type ProfileUpdate } from './profile';

/**
 * The event ingest publishes on `nudge.events.v1` when an anonymous (previous) id is merged
 * into a known user (`alias`): keyed by the known user, `properties.previousId` the merged id.
 * Rules moves the previous id's timers, runs and ledgers to the known user on it.
 */
export const USER_MERGED_EVENT = 'user_merged';

/** A `user_merged` event: what rules reads of it. */
export interface UserMerge {
  previousId: string;
  userId: string;
}

/**
 * The `user_merged` event of merging `previousId` into `userId` at `at`. Its id depends on the
 * previous id alone (an id is merged once): a retried alias publishes the same event, which
 * rules decides once. `source` names who asked for the alias (`api`, `segment`).
 */
export function userMergedEvent(merge: UserMerge, at: string, source = 'alias'): EventEnvelope {
  return {
    eventId: `merge:${merge.previousId}`,
    userId: merge.userId,
    name: USER_MERGED_EVENT,
    timestamp: at,
    receivedAt: at,
    properties: { previousId: merge.previousId },
    context: { source },
  };
}

/** The merge an event announces, or null when it is not a well-formed `user_merged` event. */
export function userMergeOf(event: Pick<EventEnvelope, 'name' | 'userId' | 'properties'>): UserMerge | null {
  if (event.name !== USER_MERGED_EVENT) return null;
  const previousId = event.properties['previousId'];
  if (typeof previousId !== 'string' || previousId === '' || previousId === event.userId) return null;
  return { previousId, userId: event.userId };
}

/** The consent values (channel and category) an alias carried from the previous profile. */
export interface CarriedConsent {
  channel: string;
  category: string;
}

/** What merging a previous profile into a known one takes from the previous one. */
export interface ProfileMergePlan {
  /** The update to merge into the known profile (`mergeProfile`, source `alias`). */
  update: ProfileUpdate;
  /** The consent values the update takes from the previous profile: their history goes with them. */
  carriedConsent: CarriedConsent[];
  /** The channels whose address the update takes (a pending double opt-in at it goes with it). */
  carriedChannels: string[];
  /** The topics the update takes (their preference history goes with them). */
  carriedTopics: string[];
  /** Whether the update takes the weekly maximum (its history goes with it). */
  carriedMaxPerWeek: boolean;
}

/**
 * What of `previous` (an anonymous profile) a merge into `known` takes: every value the known
 * profile lacks — attributes and topics key by key, zone, country and locale, each channel's
 * address and consent field by field; the known profile's values win on conflict. One
 * exception keeps consent safe: a marketing refusal of the previous profile on the address the
 * merged channel holds is carried even over the known profile's consent (a merge never makes
 * anyone reachable for marketing at an address they refused it on).
 */
export function profileMergePlan(previous: Profile, known: Profile): ProfileMergePlan {
  const attributes = Object.fromEntries(Object.entries(previous.attributes).filter(([key]) => !(key in known.attributes)));
  const topics = Object.fromEntries(Object.entries(previous.preferences.topics).filter(([topic]) => !(topic in known.preferences.topics)));
  const update: ProfileUpdate = {};
  if (Object.keys(attributes).length > 0) update.attributes = attributes;
  for (const field of ['timezone', 'country', 'locale'] as const) {
    const value = previous[field];
    if (value !== undefined && known[field] === undefined) update[field] = value;
  }
  const carriedConsent: CarriedConsent[] = [];
  const carriedChannels: string[] = [];
  const channels: NonNullable<ProfileUpdate['channels']> = {};
  for (const channel of CHANNELS) {
    const patch = channelPatch(previous.channels[channel], known.channels[channel]);
    if (!patch) continue;
    channels[channel] = patch;
    if (patch.address !== undefined) carriedChannels.push(channel);
    for (const category of CATEGORIES) if (patch.consent?.[category] !== undefined) carriedConsent.push({ channel, category });
  }
  if (Object.keys(channels).length > 0) update.channels = channels;
  const maxPerWeek = previous.preferences.maxPerWeek;
  const preferences: NonNullable<ProfileUpdate['preferences']> = {
    ...(Object.keys(topics).length > 0 ? { topics } : {}),
    ...(maxPerWeek !== undefined && known.preferences.maxPerWeek === undefined ? { maxPerWeek } : {}),
  };
  if (Object.keys(preferences).length > 0) update.preferences = preferences;
  return {
    update,
    carriedConsent,
    carriedChannels,
    carriedTopics: Object.keys(topics),
    carriedMaxPerWeek: preferences.maxPerWeek !== undefined,
  };
}

type ChannelPatch = NonNullable<ProfileUpdate['channels']>[keyof NonNullable<ProfileUpdate['channels']>];

/** The fields of the previous profile's channel the known one lacks (and a marketing refusal at the merged address); null: none. */
function channelPatch(previous: ChannelProfile | undefined, known: ChannelProfile | undefined): ChannelPatch | null {
  if (!previous) return null;
  const address = known?.address === undefined ? previous.address : undefined;
  const mergedAddress = address ?? known?.address;
  const consent: { marketing?: boolean | 'pending'; transactional?: boolean } = {};
  const { marketing, transactional } = previous.consent;
  if (marketing !== undefined && known?.consent.marketing === undefined) consent.marketing = marketing;
  if (transactional !== undefined && known?.consent.transactional === undefined) consent.transactional = transactional;
  const refusedHere = previous.consent.marketing === false && previous.address !== undefined && previous.address === mergedAddress;
  if (refusedHere && known?.consent.marketing !== false) consent.marketing = false;
  const patch = {
    ...(address === undefined ? {} : { address }),
    ...(Object.keys(consent).length > 0 ? { consent } : {}),
  };
  return Object.keys(patch).length > 0 ? patch : null;
}
