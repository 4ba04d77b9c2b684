#!/usr/bin/env node
// The SMS provider of `npm run chaos`: a stand-in for Twilio's Messages resource that runs as
// its own process, outside the stack, so that no crash of a service can lose or invent what it
// counted. It speaks Twilio's wire format (form-encoded POST, basic auth, Twilio's JSON errors,
// as libs/channels' fake-twilio-api.ts does) and counts the messages it took per send: every
// chaos campaign body carries a marker `[chaos <campaign>:<trigger event>:<step>]`, the send id's
// parts, so a call counts for its send even when dispatch never recorded the answer.
//
//   node scripts/chaos-provider.mjs --port 0 --account AC... --token ...   (prints "listening <port>")
//
// Control (loopback only, for the chaos run):
//   POST /control {"mode": "ok" | "500" | "429" | "timeout", "hangMs": 4000}
//   GET  /counts  → {"sends": {"<marker>": n}, "refused": n, "timedOut": n, "unmarked": n}
// Modes: `500` and `429` refuse every call (nothing is sent, so nothing is counted); `timeout`
// takes the message (it is counted: a real provider may well have sent it) but answers only
// after `hangMs`, past the adapter's timeout, so dispatch never learns the outcome.
import http from 'node:http';

const MARKER = /\[chaos ([^\]\s]+)\]/;
const E164 = /^\+[1-9]\d{6,14}$/;

function readArgs(argv) {
  const args = { port: 0, account: '', token: '' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    if (!(name in args)) throw new Error(`unknown flag ${argv[i]}`);
    args[name] = name === 'port' ? Number(argv[i + 1]) : String(argv[i + 1] ?? '');
  }
  if (!args.account || !args.token) throw new Error('--account and --token are required');
  return args;
}

const twilioError = (status, code, message) => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

function readBody(request, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) return reject(new Error('body too large'));
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function startChaosProvider({ port, account, token }) {
  const state = { mode: 'ok', hangMs: 4_000, sends: new Map(), refused: 0, timedOut: 0, unmarked: 0, created: 0 };
  const expectedAuth = `Basic ${Buffer.from(`${account}:${token}`).toString('base64')}`;

  /** One Messages.json call, answered as Twilio would in the current mode. */
  function createMessage(request, text) {
    if (request.headers.authorization !== expectedAuth) return twilioError(401, 20003, 'Authenticate');
    if (state.mode === '500') return (state.refused++, twilioError(500, 20500, 'Internal Server Error'));
    if (state.mode === '429') return (state.refused++, { ...twilioError(429, 20429, 'Too Many Requests'), retryAfter: '1' });
    const fields = Object.fromEntries(new URLSearchParams(text));
    if (!fields.To || !E164.test(fields.To)) return twilioError(400, 21211, `The 'To' number ${fields.To} is not a valid phone number.`);
    if (!fields.From && !fields.MessagingServiceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!fields.Body) return twilioError(400, 21602, 'Message body is required.');
    const marker = MARKER.exec(fields.Body)?.[1];
    if (marker) state.sends.set(marker, (state.sends.get(marker) ?? 0) + 1);
    else state.unmarked++;
    state.created++;
    const sid = `SM${state.created.toString(16).padStart(32, '0')}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      hang: state.mode === 'timeout',
      body: {
        account_sid: account,
        api_version: '2010-04-01',
        body: fields.Body,
        date_created: now,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        from: fields.From ?? null,
        num_segments: '1',
        sid,
        status: 'queued',
        to: fields.To,
        uri: `/2010-04-01/Accounts/${account}/Messages/${sid}.json`,
      },
    };
  }

  async function handle(request, response) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    const send = (status, body, headers = {}) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/control' && request.method === 'POST') {
      const { mode, hangMs } = JSON.parse(text || '{}');
      if (!['ok', '500', '429', 'timeout'].includes(mode)) return send(400, { error: `unknown mode ${mode}` });
      state.mode = mode;
      if (Number.isInteger(hangMs) && hangMs > 0) state.hangMs = hangMs;
      return send(200, { mode: state.mode });
    }
    if (url.pathname === '/counts' && request.method === 'GET') {
      return send(200, {
        sends: Object.fromEntries(state.sends),
        refused: state.refused,
        timedOut: state.timedOut,
        unmarked: state.unmarked,
        created: state.created,
        mode: state.mode,
      });
    }
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (request.method !== 'POST' || !path || decodeURIComponent(path[1]) !== account) {
      const { status, body } = twilioError(404, 20404, `The requested resource ${url.pathname} was not found`);
      return send(status, body);
    }
    const answer = createMessage(request, text);
    if (answer.hang) {
      // Taken, but the answer comes after the caller gave up: its outcome is unknown to dispatch.
      state.timedOut++;
      setTimeout(() => send(answer.status, answer.body), state.hangMs).unref();
      return;
    }
    send(answer.status, answer.body, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {});
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: error.message }));
    });
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, port: server.address().port, state }));
  });
}

try {
  const { port } = await startChaosProvider(readArgs(process.argv.slice(2)));
  console.log(`listening ${port}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
} catch (error) {
  console.error(`[chaos-provider] ${error.message}`);
  process.exit(2);
}
