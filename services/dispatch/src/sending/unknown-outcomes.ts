import { CATEGORIES, type Category, type Channel } from '@nudge/contracts';

/** A provider's `onUnknown` setting: make a call whose result was lost again, or leave the message `unknown`. */
export type OnUnknown = 'retry' | 'fail';

/** What decides an unknown outcome for the provider of a channel: its idempotency key, else its setting. */
export interface UnknownOutcomePolicy {
  channel: Channel;
  provider: string;
  idempotencyKey: boolean;
  onUnknown?: OnUnknown;
}

/** Whether a message whose last call has an unknown outcome is called again, and why (for its history). */
export interface UnknownVerdict {
  retry: boolean;
  why: string;
}

/**
 * Decides a message whose provider call may have happened but whose result was never
 * recorded. With an idempotency key a second call cannot send twice, so it is always made;
 * otherwise the provider's `onUnknown` decides, by default `retry` for transactional
 * messages (a missing password reset is worse than a second one) and `fail` for marketing
 * (a second promotion is worse than a missing one). The reason goes into the history.
 */
export function unknownVerdict(policy: Omit<UnknownOutcomePolicy, 'channel'> | undefined, category: Category): UnknownVerdict {
  if (policy?.idempotencyKey) {
    return { retry: true, why: `retried: ${policy.provider} takes an idempotency key, so a second call cannot send twice` };
  }
  const setting = policy?.onUnknown;
  const onUnknown = setting ?? (category === 'transactional' ? 'retry' : 'fail');
  const source = setting === undefined ? `onUnknown defaults to ${onUnknown} for ${category}` : `onUnknown: ${onUnknown}`;
  return onUnknown === 'retry'
    ? { retry: true, why: `retried (${source}): the recipient may get it twice` }
    : { retry: false, why: `not retried (${source}): it may or may not have been sent` };
}

/** The key of a (channel, provider) pair in `unknownVerdicts`. */
export function policyKey(channel: string, provider: string): string {
  return `${channel}|${provider}`;
}

/** The key of the verdicts of a provider no policy names (one no longer configured). */
export const UNLISTED = '*';

/**
 * Every verdict of the providers in force, per `policyKey` and category (plus `UNLISTED`, the
 * defaults), as one JSON document: the send claim decides messages found with a lost result
 * in SQL, in the same statement that leases the rest.
 */
export function unknownVerdicts(policies: UnknownOutcomePolicy[]): Record<string, Record<Category, UnknownVerdict>> {
  const byCategory = (policy: Omit<UnknownOutcomePolicy, 'channel'> | undefined) =>
    Object.fromEntries(CATEGORIES.map((category) => [category, unknownVerdict(policy, category)])) as Record<Category, UnknownVerdict>;
  return {
    [UNLISTED]: byCategory(undefined),
    ...Object.fromEntries(policies.map((policy) => [policyKey(policy.channel, policy.provider), byCategory(policy)])),
  };
}
