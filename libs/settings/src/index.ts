export * from './settings.schema';
export * from './provider-secrets';
export * from './widgets';
export * from './topics';
export * from './double-opt-in';
export * from './segment';
