import { smsapiRefusal } from './smsapi-error-codes';

describe('smsapiRefusal', () => {
  it.each([
    ['too many messages to one number in 60 s may pass', 400, 52, 'transient'],
    ['an internal error may pass', 200, 999, 'transient'],
    ['too many simultaneous requests may pass', 200, 202, 'transient'],
    ['an undocumented code on a 5xx may pass', 503, 4242, 'transient'],
    ['any code on a 429 may pass', 429, 11, 'transient'],
    ['no valid number is for good', 400, 13, 'permanent'],
    ['a wrong sender name is for good', 400, 14, 'permanent'],
    ['a blacklisted number is for good', 400, 57, 'permanent'],
    ['an opted-out number is for good', 400, 59, 'permanent'],
    ['bad credentials are for good', 401, 101, 'permanent'],
    ['no credits left is for good (a person must top up)', 400, 103, 'permanent'],
  ] as const)('%s', (_behaviour, status, code, kind) => {
    expect(smsapiRefusal(status, { error: code, message: 'm' }).kind).toBe(kind);
  });

  it('an unreadable answer passes on 5xx and 429, and is for good otherwise', () => {
    expect(smsapiRefusal(502, undefined)).toMatchObject({ kind: 'transient', message: 'SMSAPI answered HTTP 502 with an unreadable body' });
    expect(smsapiRefusal(200, undefined)).toMatchObject({ kind: 'permanent', message: 'SMSAPI answered HTTP 200 with an unreadable body' });
  });
});
