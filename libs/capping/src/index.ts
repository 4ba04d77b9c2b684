export * from './frequency-caps';
export * from './re-eligibility';
