export * from './kafka-client';
export * from './topics';
export * from './json-producer';
export * from './publish-deadline';
export * from './batch-consumer';
export * from './coalesce';
export * from './kafka-transport';
export * from './isolate-failures';
