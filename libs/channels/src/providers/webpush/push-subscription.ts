import type { PushSubscription } from 'web-push';
import { z } from 'zod';

const pushSubscriptionSchema = z.object({
  endpoint: z
    .string()
    .url()
    .refine((endpoint) => /^https?:\/\//.test(endpoint), 'must be an http(s) URL'),
  keys: z.object({ p256dh: z.string().min(1), auth: z.string().min(1) }),
});

/** A recipient's address on `webpush`: the browser's PushSubscription, or why the address is not one. */
export type SubscriptionReading = { outcome: 'subscription'; subscription: PushSubscription } | { outcome: 'invalid'; reason: string };

/** Reads the PushSubscription JSON (`{ endpoint, keys: { p256dh, auth } }`) a browser gave for the recipient. */
export function readPushSubscription(address: string): SubscriptionReading {
  let json: unknown;
  try {
    json = JSON.parse(address);
  } catch {
    return {
      outcome: 'invalid',
      reason: 'the address is not a push subscription: not JSON (expected {"endpoint", "keys": {"p256dh", "auth"}})',
    };
  }
  const parsed = pushSubscriptionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      outcome: 'invalid',
      reason: `the address is not a push subscription: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`,
    };
  }
  return { outcome: 'subscription', subscription: parsed.data };
}
