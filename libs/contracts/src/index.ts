export * from './topics';
export * from './event';
export * from './profile';
export * from './send-request';
export * from './delivery';
export * from './decision';
export * from './errors';
