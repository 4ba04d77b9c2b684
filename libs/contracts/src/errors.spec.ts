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
    let thrown: unknown;
    try {
      parseOrThrow(schema, { userId: 5 }, 'event', ['events', 2]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual([{ path: 'events[2].userId', message: expect.any(String) }]);
  });
});
