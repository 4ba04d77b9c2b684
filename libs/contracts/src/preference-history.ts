import type { ConsentChangeContext } from './consent';
import type { Profile } from './profile';

/**
 * One change of a profile's preferences, as the preference history keeps it: a topic switched
 * on or off (`topic` and `subscribed`), or the weekly maximum set (`maxPerWeek`, null for no
 * limit) — with the time, source and proof of the request that made it, like a consent change.
 */
export type PreferenceChange = (
  { preference: 'topic'; topic: string; subscribed: boolean } | { preference: 'maxPerWeek'; maxPerWeek: number | null }
) & {
  at: string;
  source: string;
  ip: string | null;
  userAgent: string | null;
  textVersion: string | null;
};

/**
 * The preference values that differ between a profile and its merged successor, each with the
 * context's time, source and proof: topics in name order, then the weekly maximum. A value set
 * again to what it was is no change.
 */
export function preferenceChangesBetween(before: Profile, after: Profile, context: ConsentChangeContext): PreferenceChange[] {
  const proof = {
    at: context.at,
    source: context.source,
    ip: context.proof?.ip ?? null,
    userAgent: context.proof?.userAgent ?? null,
    textVersion: context.proof?.textVersion ?? null,
  };
  const changes: PreferenceChange[] = [];
  for (const topic of Object.keys(after.preferences.topics).sort()) {
    const subscribed = after.preferences.topics[topic];
    if (subscribed === undefined || subscribed === before.preferences.topics[topic]) continue;
    changes.push({ preference: 'topic', topic, subscribed, ...proof });
  }
  const maxPerWeek = after.preferences.maxPerWeek ?? null;
  if (maxPerWeek !== (before.preferences.maxPerWeek ?? null)) changes.push({ preference: 'maxPerWeek', maxPerWeek, ...proof });
  return changes;
}
