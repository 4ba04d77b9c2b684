import { formatPath, ValidationError, type Channel, type Profile, type ProfileUpdate } from '@nudge/contracts';
import { toE164 } from '@nudge/channel-rules';
import type { SegmentSettings } from '@nudge/settings';
import type { SegmentGroup, SegmentIdentify } from './segment-messages';

/** The profile attribute listing the groups a user joined through `group` calls (`{ fact: profile, path: $.attributes.groups, operator: contains }`). */
export const GROUPS_ATTRIBUTE = 'groups';
/** The profile attribute holding each group's traits by group id. */
export const GROUP_TRAITS_ATTRIBUTE = 'groupTraits';

/** What an identify's update still needs: the country its phone is read in, and the consent mapping of the settings. */
export interface IdentifyFinish {
  /** The profile's stored country, when the identify names none. */
  storedCountry?: string;
  /** The profile's stored channels, when it learns an address: a transactional consent already set there stays as it is. */
  storedChannels?: Profile['channels'];
  consentCategories: SegmentSettings['consentCategories'];
}

/**
 * The profile update of an `identify`: its update, plus the phone as the SMS address in E.164
 * (read in the identify's country, else the profile's; transactional consent only), plus the
 * marketing consent and topics its consent categories give through `consentCategories`. A
 * category refused wins over another given for the same channel or topic. Throws a
 * ValidationError naming `traits.phone` under the message's path when the number cannot be read.
 *
 * An address is given transactional consent when it is learned: new to the profile, or a
 * different one. An identify repeating the address the profile already holds leaves its
 * transactional consent as stored, so a recipient's refusal is not undone by the next call
 * of an SDK that identifies on every app start.
 */
export function profileUpdateOfIdentify(identify: SegmentIdentify, finish: IdentifyFinish): ProfileUpdate {
  const channels: NonNullable<ProfileUpdate['channels']> = structuredClone(identify.update.channels ?? {});
  if (identify.phone !== undefined) {
    const country = identify.update.country ?? finish.storedCountry;
    const verdict = toE164(identify.phone, country ?? undefined);
    if (!verdict.ok) {
      const path = formatPath([...identify.path, 'traits', 'phone']);
      throw new ValidationError(`invalid Segment message: ${path} ${verdict.reason}`, [{ path, message: verdict.reason }]);
    }
    channels.sms = { ...channels.sms, address: verdict.e164, consent: { ...channels.sms?.consent, transactional: true } };
  }
  for (const channel of ['email', 'sms'] as const) {
    const learned = channels[channel];
    const stored = finish.storedChannels?.[channel];
    if (learned?.address !== undefined && stored?.address === learned.address && stored.consent.transactional !== undefined) {
      const { transactional: _kept, ...consent } = learned.consent ?? {};
      channels[channel] = { ...learned, consent };
    }
  }
  const consent = consentOf(identify.consentPreferences ?? {}, finish.consentCategories);
  for (const [channel, marketing] of consent.channels) {
    channels[channel] = { ...channels[channel], consent: { ...channels[channel]?.consent, marketing } };
  }
  const update: ProfileUpdate = { ...identify.update };
  if (Object.keys(channels).length > 0) update.channels = channels;
  if (consent.topics.size > 0) update.preferences = { topics: Object.fromEntries(consent.topics) };
  return update;
}

/** The marketing consent per channel and the topics that the given categories mean; a refusal wins. */
function consentOf(preferences: Record<string, boolean>, categories: SegmentSettings['consentCategories']) {
  const channels = new Map<Channel, boolean>();
  const topics = new Map<string, boolean>();
  for (const [name, given] of Object.entries(preferences)) {
    const category = categories[name];
    if (category === undefined) continue;
    for (const channel of category.channels) channels.set(channel, given && channels.get(channel) !== false);
    for (const topic of category.topics) topics.set(topic, given && topics.get(topic) !== false);
  }
  return { channels, topics };
}

/**
 * The attributes a `group` call changes, given the stored ones: the group id added to
 * `groups` (once), its traits kept under `groupTraits.<groupId>` when it sent any.
 */
export function groupAttributesOf(group: SegmentGroup, stored: Record<string, unknown>): Record<string, unknown> {
  const current = Array.isArray(stored[GROUPS_ATTRIBUTE]) ? (stored[GROUPS_ATTRIBUTE] as unknown[]) : [];
  const groups = current.includes(group.groupId) ? current : [...current, group.groupId];
  if (Object.keys(group.traits).length === 0) return { [GROUPS_ATTRIBUTE]: groups };
  const storedTraits = stored[GROUP_TRAITS_ATTRIBUTE];
  const traits = typeof storedTraits === 'object' && storedTraits !== null && !Array.isArray(storedTraits) ? storedTraits : {};
  return { [GROUPS_ATTRIBUTE]: groups, [GROUP_TRAITS_ATTRIBUTE]: { ...traits, [group.groupId]: group.traits } };
}
