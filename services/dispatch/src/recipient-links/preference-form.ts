import { CHANNELS, type Profile, type ProfileUpdate } from '@nudge/contracts';
import { MAX_TOPICS, type TopicSettings } from '@nudge/settings';

/** The hidden field every form of the page carries: a POST without it was not sent by the page. */
export const FORM_FIELD = 'form';
export const FORM_NAME = 'preferences';

/** The frequencies the page offers: `any` (no per-user cap) or at most N marketing messages a week. */
export const OFFERED_WEEKLY_MAXIMUMS = [3, 1] as const;
/** The largest weekly maximum a form may ask for (the page offers 3 and 1, and the profile's own). */
export const MAX_WEEKLY_MAXIMUM = 100;
const NO_LIMIT = 'any';

/** The longest value a form field may have (a topic id is at most 64 characters). */
const MAX_FIELD_LENGTH = 64;

/**
 * What the recipient chose, as a change to what the page showed them: only the topics they
 * ticked or unticked, the frequency they picked (undefined: none picked), and whether they
 * ticked "unsubscribe from all marketing".
 */
export interface PreferenceChoice {
  topics: Record<string, boolean>;
  /** null: no limit; undefined: unchanged. */
  maxPerWeek: number | null | undefined;
  unsubscribeAll: boolean;
}

export type PreferenceFormVerdict = { ok: true; choice: PreferenceChoice } | { ok: false; field: string };

/**
 * Reads the page's form (`application/x-www-form-urlencoded`): `form=preferences` (else the
 * POST did not come from the page: nothing changes), `shown` (each topic the page showed),
 * `was` (each shown topic that was ticked), `topic` (each ticked now), `frequency` (`any` or
 * 1–100), `unsubscribe_all`. Only what changed against what was shown is kept, so an
 * untouched box writes nothing; ids not among the settings' topics are ignored (a topic
 * removed since the page was shown). A field that is not what the page sends, or too many
 * values, is refused, naming the field.
 */
export function preferenceFormOf(body: unknown, topics: readonly TopicSettings[]): PreferenceFormVerdict {
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return { ok: false, field: FORM_FIELD };
  const fields = body as Record<string, unknown>;
  const form = valuesOf(fields[FORM_FIELD]);
  if (form === undefined || form.length !== 1 || form[0] !== FORM_NAME) return { ok: false, field: FORM_FIELD };
  const lists: Record<'shown' | 'was' | 'topic', string[]> = { shown: [], was: [], topic: [] };
  for (const name of ['shown', 'was', 'topic'] as const) {
    const values = valuesOf(fields[name]);
    if (values === undefined || values.length > MAX_TOPICS) return { ok: false, field: name };
    lists[name] = values;
  }
  const known = new Set(topics.map((t) => t.id));
  const was = new Set(lists.was);
  const ticked = new Set(lists.topic);
  const changed: Record<string, boolean> = {};
  for (const id of new Set(lists.shown)) {
    if (!known.has(id) || was.has(id) === ticked.has(id)) continue;
    changed[id] = ticked.has(id);
  }
  const frequency = valuesOf(fields['frequency']);
  if (frequency === undefined || frequency.length > 1) return { ok: false, field: 'frequency' };
  const maxPerWeek = weeklyMaximumOf(frequency[0]);
  if (maxPerWeek === false) return { ok: false, field: 'frequency' };
  const unsubscribeAll = valuesOf(fields['unsubscribe_all']);
  if (unsubscribeAll === undefined || unsubscribeAll.length > 1) return { ok: false, field: 'unsubscribe_all' };
  return { ok: true, choice: { topics: changed, maxPerWeek, unsubscribeAll: unsubscribeAll.length === 1 } };
}

/**
 * The profile update a choice makes: the changed topics, the weekly maximum, and — for
 * "unsubscribe from all" — marketing consent withdrawn on every channel of the profile that
 * does not have it withdrawn already. Nothing else of the profile is touched.
 */
export function preferenceUpdateOf(choice: PreferenceChoice, profile: Profile): ProfileUpdate {
  const preferences: NonNullable<ProfileUpdate['preferences']> = {};
  if (Object.keys(choice.topics).length > 0) preferences.topics = choice.topics;
  if (choice.maxPerWeek !== undefined && choice.maxPerWeek !== (profile.preferences.maxPerWeek ?? null)) {
    preferences.maxPerWeek = choice.maxPerWeek;
  }
  const update: ProfileUpdate = Object.keys(preferences).length > 0 ? { preferences } : {};
  if (choice.unsubscribeAll) {
    const channels = CHANNELS.filter((c) => profile.channels[c] !== undefined && profile.channels[c]?.consent.marketing !== false);
    if (channels.length > 0) update.channels = Object.fromEntries(channels.map((c) => [c, { consent: { marketing: false } }]));
  }
  return update;
}

/** Whether the profile gets marketing on no channel: the page then says so above the form. */
export function receivesNoMarketing(profile: Profile): boolean {
  return CHANNELS.every((c) => profile.channels[c]?.consent.marketing !== true);
}

/** A field's values (absent: none), or undefined when one is not a short string. */
function valuesOf(field: unknown): string[] | undefined {
  const values = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return values.every((v): v is string => typeof v === 'string' && v.length <= MAX_FIELD_LENGTH) ? values : undefined;
}

/** `any` → null (no limit); `1`…`100` → that number; nothing → undefined (unchanged); else false (refused). */
function weeklyMaximumOf(value: string | undefined): number | null | undefined | false {
  if (value === undefined) return undefined;
  if (value === NO_LIMIT) return null;
  if (!/^[1-9]\d{0,2}$/.test(value)) return false;
  const max = Number(value);
  return max <= MAX_WEEKLY_MAXIMUM ? max : false;
}
