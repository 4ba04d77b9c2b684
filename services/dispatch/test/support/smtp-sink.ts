import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually } from '@nudge/testing';

/** A message as a real SMTP server received it. */
export interface ReceivedMail {
  rcptTo: string[];
  raw: string;
  /** The header fields, unfolded (RFC 5322 §2.2.3), by lower-case name; a repeated field keeps its first value. */
  headers: Map<string, string>;
}

/** A local SMTP server that takes every message (no auth, no TLS), for tests that read what was sent. */
export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** The first message received for `to` that `matches`, waiting for it. */
  mailTo(to: string, matches?: (mail: ReceivedMail) => boolean): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw, headers: headersOf(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    mailTo: (to, matches = () => true) =>
      eventually(() => received.find((mail) => mail.rcptTo.includes(to) && matches(mail)), { what: `an e-mail to ${to}` }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function headersOf(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const field of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = field.indexOf(':');
    const name = field.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && !headers.has(name)) headers.set(name, field.slice(colon + 1).trim());
  }
  return headers;
}
