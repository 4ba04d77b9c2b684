export * from './config';
export * from './tokens';
export * from './metrics';
export * from './runtime.module';
export * from './bootstrap';
export * from './http-error.filter';
export * from './api-key.guard';
export * from './kafka-transport';
