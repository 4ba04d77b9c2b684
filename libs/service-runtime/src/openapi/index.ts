export * from './api-operation';
export * from './openapi-document';
export { API_REFERENCE, docsPage } from './api-reference.controller';
export * from './api-reference.module';
export { RUNTIME_OPERATIONS } from './runtime-operations';
