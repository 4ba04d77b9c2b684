export * from './trigger-decision';
export * from './send-decision';
