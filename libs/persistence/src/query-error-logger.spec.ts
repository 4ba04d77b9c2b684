import { describeQueryError, QueryErrorLogger } from './query-error-logger';

describe('QueryErrorLogger', () => {
  it('reports a failed query by SQLSTATE, table and constraint, never its values', () => {
    const lines: string[] = [];
    const error = Object.assign(new Error('duplicate key value violates unique constraint "profiles_pkey"'), {
      code: '23505',
      table: 'profiles',
      constraint: 'profiles_pkey',
      detail: 'Key (user_id)=(ana@example.com) already exists.',
      parameters: ['ana@example.com', '+34600000001'],
    });
    new QueryErrorLogger((line) => lines.push(line)).logQueryError(error);
    expect(lines).toEqual(['typeorm: query failed: SQLSTATE 23505 (table profiles, constraint profiles_pkey)']);
  });

  it('tells an error with no SQLSTATE as unknown', () => {
    expect(describeQueryError('invalid input syntax for type uuid: "ana@example.com"')).toBe('unknown error');
    expect(describeQueryError(new Error('x'))).toBe('SQLSTATE unknown');
  });
});
