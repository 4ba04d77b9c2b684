export * from './outbound-message';
export * from './provider-errors';
export * from './retry-after';
export * from './channel-provider';
export * from './sandbox/sandbox.provider';
export * from './provider-registry';
export * from './webhooks';
export * from './providers';
export * from './provider-settings-check';

/**
 * Transitional: the pure channel rules (SMS segments, rate limits, phone numbers, STOP/START
 * keywords, delivery-status order, suppression addresses, widget codes) live in
 * `@nudge/channel-rules`. services/rules still imports `profileAddresses` and
 * `suppressionAddress` from here until its engine restructure lands; new code imports the pure
 * lib, and this line goes when nothing imports those names from `@nudge/channels`.
 */
export * from '@nudge/channel-rules';
