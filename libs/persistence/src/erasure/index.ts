export * from './erased-user-key';
export * from './erasure-marker';
export * from './erasure-plan';
export * from './erasure-store';
