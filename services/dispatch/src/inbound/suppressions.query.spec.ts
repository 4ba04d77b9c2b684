import { ValidationError } from '@nudge/contracts';
import { parseSuppressionsQuery } from './suppressions.query';

describe('parseSuppressionsQuery', () => {
  it('keys the address as a STOP from it is keyed', () => {
    expect(parseSuppressionsQuery({ channel: 'sms', address: '+34 600 000 301' })).toEqual({ channel: 'sms', address: '+34600000301' });
    expect(parseSuppressionsQuery({ channel: 'email', address: 'Ana@Example.com' })).toEqual({
      channel: 'email',
      address: 'ana@example.com',
    });
  });

  it.each([{}, { channel: 'sms' }, { address: '+34600000301' }, { channel: 'pigeon', address: 'x' }, { channel: 'sms', address: ' ' }])(
    'refuses %j',
    (query) => {
      expect(() => parseSuppressionsQuery(query)).toThrow(ValidationError);
    },
  );
});
