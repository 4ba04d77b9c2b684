export { compileTemplate, validateTemplate } from './compile-template';
export type { CompiledTemplate } from './compiled-template';
export { renderTemplate, type RenderOptions, type RenderedTemplate, type TemplateScope } from './render-template';
export type { LinkTracker } from './link-tracking';
export { TemplateCache } from './template-cache';
export { TemplateError } from './template-error';
export { TEMPLATE_LIMITS } from './template-limits';
