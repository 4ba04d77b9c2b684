export * from './settings.schema';
