import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED, REDACTED_LOG_PATHS } from './log-redaction';

function logLineOf(log: (logger: pino.Logger) => void): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED } }, sink);
  log(logger);
  return lines.join('');
}

describe('log redaction', () => {
  it('hides addresses, bodies and profile data wherever an object logs them', () => {
    const line = logLineOf((logger) =>
      logger.warn(
        {
          to: '+34600000001',
          message: { to: 'ana@example.com', body: 'Hi Ana', subject: 'Cart' },
          profile: { attributes: { name: 'Ana' } },
        },
        'message failed',
      ),
    );
    expect(line).not.toMatch(/\+34600000001|ana@example\.com|Hi Ana|"Ana"/);
    expect(line).toContain(REDACTED);
    expect(line).toContain('message failed');
  });

  it("hides what a database error carries of the query's values", () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "profiles_pkey"'), {
      parameters: ['ana@example.com'],
      detail: 'Key (user_id)=(ana@example.com) already exists.',
      driverError: { detail: 'Key (user_id)=(ana@example.com) already exists.' },
    });
    const line = logLineOf((logger) => logger.error({ err: error }, 'query failed'));
    expect(line).not.toContain('ana@example.com');
    expect(line).toContain('profiles_pkey');
  });

  it('hides keys and user tokens in request headers', () => {
    const req = { headers: { authorization: 'Bearer admin-key', 'x-nudge-user-token': 'abc123', host: 'x' }, query: { token: 'abc123' } };
    const line = logLineOf((logger) => logger.info({ req }, 'request'));
    expect(line).not.toMatch(/admin-key|abc123/);
  });
});
