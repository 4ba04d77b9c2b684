export * from './trigger-decision';
export * from './send-decision';
export * from './exception-decision';
export * from './send-time';
export * from './holdout';
export * from './conversion-attribution';
export * from './uplift';
export * from './journey-run';
