export * from './test-database';
export * from './test-stack';
export * from './eventually';
export * from './http-client';
export * from './topic-reader';
export * from './infrastructure';
export * from './route-probe';
export * from './broker-partition';
