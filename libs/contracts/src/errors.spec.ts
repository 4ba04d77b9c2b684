import { z } from 'zod';
import { formatPath, parseOrThrow, parseRequestOrThrow, ValidationError } from './errors';

describe('validation errors name the field', () => {
  it.each([
    [['events', 3, 'userId'], 'events[3].userId'],
    [['userId'], 'userId'],
    [[], ''],
    [['a', 0, 1, 'b'], 'a[0][1].b'],
  ])('formats %j as %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });

  it('throws a ValidationError whose details carry the prefixed path', () => {
    const schema = z.object({ userId: z.string() });
    let thrown: unknown;
    try {
      parseOrThrow(schema, { userId: 5 }, 'event', ['events', 2]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual([{ path: 'events[2].userId', message: expect.any(String) }]);
  });

  it('names each unknown field of a strict request itself, with the prefix', () => {
    const schema = z.object({ limit: z.number(), inner: z.object({ a: z.number() }).strict() }).strict();
    let thrown: unknown;
    try {
      parseRequestOrThrow(schema, { limit: 1, colour: 'red', size: 2, inner: { a: 1, b: 2 } }, 'query', ['query']);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as ValidationError).details.map((d) => d.path).sort()).toEqual(['query.colour', 'query.inner.b', 'query.size']);
    expect((thrown as ValidationError).details[0]?.message).toBe('is not a known field');
    expect(parseRequestOrThrow(schema, { limit: 1, inner: { a: 1 } }, 'query')).toEqual({ limit: 1, inner: { a: 1 } });
  });
});
