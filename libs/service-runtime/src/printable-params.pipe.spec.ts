import { ValidationError } from '@nudge/contracts';
import { PrintableParamsPipe } from './printable-params.pipe';

describe('PrintableParamsPipe', () => {
  const pipe = new PrintableParamsPipe();
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error instanceof ValidationError ? error.details : error;
    }
    return 'not refused';
  };

  it('refuses a path parameter holding NUL or another control character, naming it', () => {
    expect(refusal(() => pipe.transform('a\u0000b', { type: 'param', data: 'userId' }))).toEqual([
      { path: 'userId', message: 'must not contain control characters' },
    ]);
    expect(refusal(() => pipe.transform('a\u001bb', { type: 'param', data: 'id' }))).toEqual([
      { path: 'id', message: 'must not contain control characters' },
    ]);
  });

  it('refuses a query value holding one, in a whole query object or an array', () => {
    expect(refusal(() => pipe.transform({ limit: '5', userId: '\u0000' }, { type: 'query' }))).toEqual([
      { path: 'userId', message: 'must not contain control characters' },
    ]);
    expect(refusal(() => pipe.transform({ userId: ['a', 'b\u0000'] }, { type: 'query' }))).toEqual([
      { path: 'userId', message: 'must not contain control characters' },
    ]);
  });

  it('passes printable values, odd Unicode included, and leaves bodies to their schemas', () => {
    expect(pipe.transform('Zoë \u202e 👩‍👩‍👧', { type: 'param', data: 'userId' })).toBe('Zoë \u202e 👩‍👩‍👧');
    expect(pipe.transform({ userId: 'u1' }, { type: 'query' })).toEqual({ userId: 'u1' });
    expect(pipe.transform({ name: 'a\u0000' }, { type: 'body' })).toEqual({ name: 'a\u0000' });
  });
});
