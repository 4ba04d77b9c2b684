export * from './outbound-message';
export * from './provider-errors';
export * from './channel-provider';
export * from './sandbox/sandbox.provider';
export * from './provider-registry';
export * from './sms-segments';
export * from './delivery-status';
export * from './webhooks';
