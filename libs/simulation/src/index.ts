export * from './simulate';
export * from './simulation-inputs';
