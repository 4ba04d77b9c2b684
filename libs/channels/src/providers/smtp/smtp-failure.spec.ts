import { smtpFailure } from './smtp-failure';

describe('smtpFailure', () => {
  it.each([
    ['421 service closing', { responseCode: 421, response: '421 4.3.2 Service shutting down', command: 'CONN' }, 'transient'],
    ['450 mailbox busy', { responseCode: 450, response: '450 Mailbox busy', command: 'RCPT TO' }, 'transient'],
    ['451 local error', { responseCode: 451, response: '451 Local error', command: 'DATA' }, 'transient'],
    ['452 no space', { responseCode: 452, response: '452 Insufficient storage', command: 'RCPT TO' }, 'transient'],
    ['535 bad credentials', { code: 'EAUTH', responseCode: 535, response: '535 Bad credentials', command: 'AUTH PLAIN' }, 'permanent'],
    ['550 mailbox unavailable', { code: 'EENVELOPE', responseCode: 550, response: '550 No such user', command: 'RCPT TO' }, 'permanent'],
    ['554 rejected as spam', { code: 'EMESSAGE', responseCode: 554, response: '554 Spam', command: 'DATA' }, 'permanent'],
    ['a refused connection', { code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:2525' }, 'transient'],
    ['a timeout (the message may have been handed over)', { code: 'ETIMEDOUT', message: 'Timeout' }, 'unknown'],
    ['a connection closed mid-session', { code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'unknown'],
    ['credentials missing', { code: 'EAUTH', message: 'Missing credentials for "PLAIN"' }, 'permanent'],
    ['no STARTTLS although required', { code: 'ETLS', message: 'Server does not support STARTTLS' }, 'permanent'],
    ['something unknown', new Error('boom'), 'transient'],
  ])('%s is %s', (_case, error, kind) => {
    expect(smtpFailure(error).kind).toBe(kind);
  });

  it('carries the command and the server text', () => {
    expect(smtpFailure({ responseCode: 550, response: '550 5.1.1 No such user', command: 'RCPT TO' }).message).toBe(
      'RCPT TO rejected: 550 5.1.1 No such user',
    );
  });
});
