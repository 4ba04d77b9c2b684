export * from './sms-segments';
export * from './rate-limit';
export * from './phone-numbers';
export * from './unsubscribe-keywords';
export * from './delivery-status';
export * from './suppression-addresses';
export * from './widget-codes';
