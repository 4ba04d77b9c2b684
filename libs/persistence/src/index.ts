export * from './data-source';
export * from './erasure';
export * from './profile-store';
export * from './suppression-store';
export * from './consent-history';
export * from './preference-history';
export * from './pending-opt-ins';
export * from './distribution-plan';
