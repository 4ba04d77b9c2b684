export * from './access';
export * from './after-checks';
export * from './fuzz-run';
export * from './oracle';
export * from './requests';
export * from './routes';
export * from './send';
export * from './summary';
