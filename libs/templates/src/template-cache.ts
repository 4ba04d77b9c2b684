import { compileTemplate } from './compile-template';
import type { CompiledTemplate } from './compiled-template';

/** Compiled templates by source, least recently used evicted first, so a hot path parses each body once. */
export class TemplateCache {
  private readonly compiled = new Map<string, CompiledTemplate>();

  constructor(private readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be a positive integer, got ${capacity}`);
  }

  /** The compiled template for `source`, compiling it on first use; throws TemplateError when it does not parse. */
  get(source: string): CompiledTemplate {
    const hit = this.compiled.get(source);
    if (hit) {
      // Map keeps insertion order: re-inserting marks this entry as the most recently used.
      this.compiled.delete(source);
      this.compiled.set(source, hit);
      return hit;
    }
    const template = compileTemplate(source);
    this.compiled.set(source, template);
    if (this.compiled.size > this.capacity) {
      const eldest = this.compiled.keys().next();
      if (!eldest.done) this.compiled.delete(eldest.value);
    }
    return template;
  }

  get size(): number {
    return this.compiled.size;
  }
}
