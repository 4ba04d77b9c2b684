import { TemplateCache } from './template-cache';
import { TemplateError } from './template-error';

describe('TemplateCache', () => {
  it('compiles a source once and hands back the same template after', () => {
    const cache = new TemplateCache();
    const first = cache.get('Hi {{ profile.attributes.firstName }}');
    expect(cache.get('Hi {{ profile.attributes.firstName }}')).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used source when full', () => {
    const cache = new TemplateCache(2);
    const a = cache.get('a');
    const b = cache.get('b');
    cache.get('a');
    cache.get('c');
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(a);
    expect(cache.get('b')).not.toBe(b);
  });

  it('throws a TemplateError for a source that does not parse, and keeps nothing', () => {
    const cache = new TemplateCache();
    expect(() => cache.get('{{ x | nope }}')).toThrow(TemplateError);
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new TemplateCache(0)).toThrow('capacity must be a positive integer');
  });
});
