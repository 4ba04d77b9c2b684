export * from './merge-plan';
export * from './user-merge-store';
