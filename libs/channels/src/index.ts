export * from './outbound-message';
export * from './provider-errors';
export * from './retry-after';
export * from './channel-provider';
export * from './sandbox/sandbox.provider';
export * from './provider-registry';
export * from './webhooks';
export * from './providers';
export * from './provider-settings-check';

