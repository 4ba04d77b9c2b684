import { z } from 'zod';
import { formatPath, parseOrThrow, ValidationError } from './errors';

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
    try {
      parseOrThrow(schema, { userId: 5 }, 'event', ['events', 2]);
      fail('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([{ path: 'events[2].userId', message: expect.any(String) }]);
    }
  });
});
