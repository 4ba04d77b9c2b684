import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { OutboundMessage } from '../../outbound-message';
import type { ProviderSettings } from '../../provider-factory';
import { createSmtpProvider } from './smtp.provider';

interface ReceivedMail {
  mailFrom: string | undefined;
  rcptTo: string[];
  user: string | undefined;
  raw: string;
}

/** A local SMTP server: user `nudge` / `s3cret`; `busy@…` is answered 451, `nobody@…` 550. */
async function startSmtpServer(): Promise<{ port: number; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'nudge' && auth.password === 's3cret') return callback(null, { user: auth.username });
      callback(reply(535, 'Authentication credentials invalid'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('busy@')) return callback(reply(451, 'Requested action aborted: local error in processing'));
      if (address.address.startsWith('nobody@')) return callback(reply(550, 'Mailbox unavailable'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({
          mailFrom: mailFrom === false ? undefined : mailFrom.address,
          rcptTo: rcptTo.map((r) => r.address),
          user: session.user,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const messageId = '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11';
const anEmail = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId,
  channel: 'email',
  to: 'ana@example.com',
  body: 'Hi Ana, your cart of 129.9 € is waiting',
  subject: 'Your cart',
  attempt: 1,
  category: 'marketing',
  campaignId: 'cart-abandon-email',
  now: new Date('2026-11-24T10:00:00Z'),
  ...overrides,
});
const env = { SMTP_USER: 'nudge', SMTP_PASSWORD: 's3cret', WRONG_PASSWORD: 'guess' };

describe('SmtpProvider', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const providerOn = (port: number, settings: Partial<ProviderSettings> = {}) =>
    createSmtpProvider(
      {
        provider: 'smtp',
        host: '127.0.0.1',
        port,
        from: 'Acme <news@acme.example>',
        defaultSubject: 'News from Acme',
        userEnv: 'SMTP_USER',
        passwordEnv: 'SMTP_PASSWORD',
        ...settings,
      },
      'email',
      { env, publicUrl: 'http://localhost:3002' },
    );

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  it('sends the text body with From, To and Subject, authenticated, and stays sent (SMTP has no receipts)', async () => {
    const result = await providerOn(smtp.port).send(anEmail());

    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: `<${messageId}@acme.example>` });
    const mail = smtp.received.at(-1);
    expect(mail).toMatchObject({ mailFrom: 'news@acme.example', rcptTo: ['ana@example.com'], user: 'nudge' });
    expect(mail?.raw).toMatch(/^From: Acme <news@acme\.example>$/m);
    expect(mail?.raw).toMatch(/^To: ana@example\.com$/m);
    expect(mail?.raw).toMatch(/^Subject: Your cart$/m);
    expect(mail?.raw).toMatch(new RegExp(`^Message-ID: <${messageId}@acme\\.example>$`, 'm'));
    expect(mail?.raw).toContain('Hi Ana, your cart of 129.9 =E2=82=AC is waiting');
  });

  it('uses defaultSubject for a message without one, and from for a sender that is no address', async () => {
    const result = await providerOn(smtp.port).send(anEmail({ subject: undefined, sender: 'ACME' }));

    expect(result.outcome).toBe('accepted');
    expect(smtp.received.at(-1)?.raw).toMatch(/^Subject: News from Acme$/m);
    expect(smtp.received.at(-1)?.raw).toMatch(/^From: Acme <news@acme\.example>$/m);
  });

  it('a retried message carries the same Message-ID', async () => {
    const provider = providerOn(smtp.port);
    const first = await provider.send(anEmail());
    const retry = await provider.send(anEmail({ attempt: 2 }));
    expect(retry).toEqual(first);
  });

  describe('List-Unsubscribe', () => {
    const token = `${'eyJ2IjoxLCJ1c2VySWQiOiJhbmEifQ'.repeat(4)}.${'A1b2-C3d4_'.repeat(4)}`;
    const unsubscribe = { url: `https://nudge.example/u/${token}`, token };
    /** A received header's value, its folded lines joined (RFC 5322 unfolding). */
    const headerOf = (raw: string | undefined, name: string) =>
      new RegExp(`^${name}: (.*)$`, 'mi').exec((raw ?? '').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' '))?.[1];

    it('a marketing message carries the one-click link and the POST marker, and the mailto when a mailbox is set', async () => {
      await providerOn(smtp.port).send(anEmail({ unsubscribe }));
      expect(headerOf(smtp.received.at(-1)?.raw, 'List-Unsubscribe')).toBe(`<${unsubscribe.url}>`);
      expect(headerOf(smtp.received.at(-1)?.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

      await providerOn(smtp.port, { unsubscribeMailto: 'unsubscribe@acme.example' }).send(anEmail({ unsubscribe }));
      expect(headerOf(smtp.received.at(-1)?.raw, 'List-Unsubscribe')).toBe(
        `<${unsubscribe.url}>, <mailto:unsubscribe@acme.example?subject=unsubscribe-${token}>`,
      );
      expect(headerOf(smtp.received.at(-1)?.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    });

    it('a transactional message never does, nor a message without a link', async () => {
      const provider = providerOn(smtp.port, { unsubscribeMailto: 'unsubscribe@acme.example' });
      await provider.send(anEmail({ category: 'transactional', unsubscribe }));
      expect(smtp.received.at(-1)?.raw).not.toMatch(/^List-Unsubscribe/im);
      await provider.send(anEmail());
      expect(smtp.received.at(-1)?.raw).not.toMatch(/^List-Unsubscribe/im);
    });
  });

  it('wrong credentials fail for good with the server text', async () => {
    const result = await providerOn(smtp.port, { passwordEnv: 'WRONG_PASSWORD' }).send(anEmail());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: expect.stringMatching(/535 Authentication credentials invalid/) },
    });
  });

  it('a server answering 451 fails transiently, to be retried', async () => {
    const result = await providerOn(smtp.port).send(anEmail({ to: 'busy@example.com' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'RCPT TO rejected: 451 Requested action aborted: local error in processing' },
    });
  });

  it('a mailbox the server answers 550 for fails for good with the server text', async () => {
    const result = await providerOn(smtp.port).send(anEmail({ to: 'nobody@example.com' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'RCPT TO rejected: 550 Mailbox unavailable' },
    });
  });

  it('a refused connection fails transiently', async () => {
    const result = await providerOn(await closedPort()).send(anEmail());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'transient', message: expect.stringMatching(/ECONNREFUSED/) } });
  });
});

describe('createSmtpProvider settings', () => {
  const build =
    (settings: Record<string, unknown>, env: Record<string, string> = {}) =>
    () =>
      createSmtpProvider({ provider: 'smtp', ...settings }, 'email', { env, publicUrl: 'http://localhost:3002' });

  it('names a missing host and from', () => {
    expect(build({})).toThrow(/providers\.email\.host .*providers\.email\.from/);
  });

  it('names the credential setting whose env variable is not set', () => {
    expect(
      build(
        { host: 'smtp.acme.example', from: 'news@acme.example', userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD' },
        { SMTP_USER: 'u' },
      ),
    ).toThrow('invalid settings: providers.email.passwordEnv environment variable SMTP_PASSWORD is not set');
  });

  it('wants userEnv and passwordEnv together', () => {
    expect(build({ host: 'smtp.acme.example', from: 'news@acme.example', userEnv: 'SMTP_USER' })).toThrow(
      /providers\.email\.passwordEnv userEnv and passwordEnv go together/,
    );
  });

  it('takes an unsubscribe mailbox only when it is an address', () => {
    expect(build({ host: 'relay.internal', from: 'news@acme.example', unsubscribeMailto: 'unsubscribe' })).toThrow(
      /providers\.email\.unsubscribeMailto must be an e-mail address/,
    );
  });

  it('needs no credentials for a relay that does not authenticate', () => {
    expect(build({ host: 'relay.internal', port: 25, from: 'news@acme.example' })().name).toBe('smtp');
  });
});
