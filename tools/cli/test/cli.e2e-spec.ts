import { createDispatchApp } from '@nudge/dispatch';
import { createIngestApp } from '@nudge/ingest';
import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../src/main';

const EXAMPLE_CONFIG = path.resolve(__dirname, '../../../config');

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'nudge', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** `nudge simulate <dir> --json` on these events and profiles, written to files as a user would. */
function simulateJson(dir: string, events: object[], profiles: object[], suppressions: object[] = []) {
  const files = configDir({
    'events.ndjson': events.map((e) => JSON.stringify(e)).join('\n'),
    'profiles.json': JSON.stringify(profiles),
    'suppressions.json': JSON.stringify(suppressions),
  });
  const file = (name: string) => path.join(files, name);
  return run(
    'simulate',
    dir,
    '--events',
    file('events.ndjson'),
    '--profiles',
    file('profiles.json'),
    '--suppressions',
    file('suppressions.json'),
    '--json',
  );
}

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nudge-cli-'));
  mkdirSync(path.join(dir, 'campaigns'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('nudge validate', () => {
  it('accepts the example config', async () => {
    const result = await run('validate', EXAMPLE_CONFIG);
    expect(result).toMatchObject({ code: 0 });
    expect(result.out.join('\n')).toMatch(/ok: 3 campaigns and settings valid/);
  });

  it('simulate reports every bad line of an events file and exits 1, as for invalid campaigns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nudge-cli-bad-events-'));
    const events = path.join(dir, 'events.ndjson');
    writeFileSync(events, 'nope\n{"userId":"ana","name":"cart_abandoned"}\n');
    const result = await run('simulate', EXAMPLE_CONFIG, '--events', events);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      `${events}: 2 bad lines`,
      expect.stringMatching(new RegExp(`^${events.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: not JSON`)),
      `${events}:2: timestamp: required to simulate (virtual time comes from event timestamps)`,
    ]);
  });

  it('names file, line and path of every error and exits 1', async () => {
    const dir = configDir({
      'campaigns/bad.yaml': 'id: bad\nname: Bad\ntrigger: { event: x }\ndelay: soon\nmessage: { channel: sms, body: "hi" }\n',
      'settings.yaml': 'countryRules:\n  FR: { hours: { mon-sat: "25:00-20:00" } }\n',
    });
    const result = await run('validate', dir);
    expect(result.code).toBe(1);
    const text = result.out.join('\n');
    expect(text).toContain(`${path.join(dir, 'campaigns/bad.yaml')}:4: delay:`);
    expect(text).toMatch(/settings\.yaml:2: countryRules\.FR\.hours/);
  });
});

describe('nudge apply and simulate against the live stack', () => {
  let stack: TestStack;
  let dir: string;

  beforeAll(async () => {
    dir = configDir({
      'campaigns/reminder.yaml': [
        'id: reminder',
        'name: Reminder',
        'trigger:',
        '  event: cart_abandoned',
        '  conditions: { all: [ { fact: event, path: $.properties.cartValue, operator: greaterThan, value: 100 } ] }',
        'delay: PT2S',
        'exceptions: [ { event: purchase, match: { cartId: cartId } } ]',
        'frequencyCaps: [ { max: 1, per: P1D } ]',
        'message: { channel: sms, body: "Hi {{ profile.attributes.firstName }}" }',
      ].join('\n'),
    });
    stack = await TestStack.start({
      factories: { ingest: createIngestApp, rules: createRulesApp, dispatch: createDispatchApp },
      label: 'cli',
    });
  });

  afterAll(() => stack?.stop());

  it('shows the diff, applies, and then finds nothing to change', async () => {
    const dry = await run('apply', dir, '--url', stack.url('rules'), '--dry-run');
    expect(dry.out).toEqual(['created   campaign reminder', 'dry run: nothing applied']);
    expect((await stack.client('rules').get('/v1/campaigns/reminder')).status).toBe(404);
    const applied = await run('apply', dir, '--url', stack.url('rules'));
    expect(applied.code).toBe(0);
    expect((await stack.client('rules').get('/v1/campaigns/reminder')).body.version).toBe(1);
    expect((await run('apply', dir, '--url', stack.url('rules'), '--dry-run')).out[0]).toBe('unchanged campaign reminder');
  });

  it('simulates the same decisions the live stack makes for the same events', async () => {
    const profiles = [
      { userId: 'sim-ana', attributes: { firstName: 'Ana' }, channels: { sms: { address: '+34600000301', consent: { marketing: true } } } },
      {
        userId: 'sim-bob',
        attributes: { firstName: 'Bob' },
        channels: { sms: { address: '+34600000302', consent: { marketing: false } } },
      },
      // Consents, but texted STOP from her number: suppressed live, and in the simulation's file.
      { userId: 'sim-cy', attributes: { firstName: 'Cy' }, channels: { sms: { address: '+34600000303', consent: { marketing: true } } } },
    ];
    const t = Date.now();
    const at = (ms: number) => new Date(t + ms).toISOString();
    const events = [
      { eventId: 's1', userId: 'sim-ana', name: 'cart_abandoned', timestamp: at(0), properties: { cartValue: 150, cartId: 'a' } },
      { eventId: 's2', userId: 'sim-ana', name: 'purchase', timestamp: at(300), properties: { cartId: 'a' } },
      { eventId: 's3', userId: 'sim-ana', name: 'cart_abandoned', timestamp: at(400), properties: { cartValue: 160, cartId: 'b' } },
      { eventId: 's4', userId: 'sim-ana', name: 'cart_abandoned', timestamp: at(500), properties: { cartValue: 170, cartId: 'c' } },
      { eventId: 's5', userId: 'sim-ana', name: 'cart_abandoned', timestamp: at(600), properties: { cartValue: 20, cartId: 'd' } },
      { eventId: 's6', userId: 'sim-bob', name: 'cart_abandoned', timestamp: at(700), properties: { cartValue: 200, cartId: 'e' } },
      { eventId: 's7', userId: 'sim-cy', name: 'cart_abandoned', timestamp: at(800), properties: { cartValue: 210, cartId: 'f' } },
    ];
    const simulated = await simulateJson(dir, events, profiles, [{ channel: 'sms', address: '+34 600 000 303' }]);
    expect(simulated.code).toBe(0);
    const expected = summarise(JSON.parse(simulated.out.join('\n')));

    const stop = await stack
      .client('dispatch')
      .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000303', text: 'STOP' });
    expect(stop.status).toBe(200);
    for (const { userId, ...profile } of profiles) await stack.client('ingest').put(`/v1/users/${userId}`, profile);
    for (const event of events) await stack.client('ingest').post('/v1/events', event);
    const live = await eventually(
      async () => {
        const items = [
          ...(await stack.client('rules').get('/v1/users/sim-ana/decisions')).body.items,
          ...(await stack.client('rules').get('/v1/users/sim-bob/decisions')).body.items,
          ...(await stack.client('rules').get('/v1/users/sim-cy/decisions')).body.items,
        ];
        const summary = summarise(items);
        return summary.length === expected.length ? summary : undefined;
      },
      { what: `${expected.length} live decisions`, timeoutMs: 30_000 },
    );
    expect(live).toEqual(expected);
    expect(expected).toEqual([
      's1 cancelled_exception',
      's1 scheduled',
      's3 scheduled',
      's3 sent',
      's4 capped',
      's4 scheduled',
      's5 conditions_not_met',
      's6 no_consent',
      's6 scheduled',
      's7 no_consent',
      's7 scheduled',
    ]);
  });
});

describe('nudge simulate on the example journey, against the live stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { ingest: createIngestApp, rules: createRulesApp, dispatch: createDispatchApp },
      label: 'cli-journey',
    });
  });

  afterAll(() => stack?.stop());

  it('decides every step the live stack takes, with the same step ids and outcomes', async () => {
    expect((await run('apply', EXAMPLE_CONFIG, '--url', stack.url('rules'))).code).toBe(0);
    const profiles = [
      { userId: 'sim-cy', attributes: { firstName: 'Cy' }, channels: { sms: { address: '+34600000311', consent: { marketing: true } } } },
      { userId: 'sim-di', attributes: { firstName: 'Di' }, channels: { sms: { address: '+34600000312', consent: { marketing: true } } } },
    ];
    const t = Date.now();
    const at = (ms: number) => new Date(t + ms).toISOString();
    const events = [
      { eventId: 'j1', userId: 'sim-cy', name: 'signed_up', timestamp: at(0), properties: {} },
      { eventId: 'j2', userId: 'sim-di', name: 'signed_up', timestamp: at(100), properties: {} },
      { eventId: 'j3', userId: 'sim-cy', name: 'purchase', timestamp: at(1_000), properties: { orderId: 'o1' } },
    ];
    const simulated = await simulateJson(EXAMPLE_CONFIG, events, profiles);
    expect(simulated.code).toBe(0);
    // What simulate decides up to the last event is what the live stack must have decided by then;
    // later steps (Di's 3-day timeout) lie in the simulated future.
    const lastEvent = events.at(-1)?.timestamp as string;
    const expected = summariseSteps(
      (JSON.parse(simulated.out.join('\n')) as SimulatedStep[]).filter((d) => d.campaignId === 'welcome-journey' && d.at <= lastEvent),
    );
    expect(expected).toEqual([
      'j1 first-order branched',
      'j1 first-order scheduled',
      'j1 thanks completed',
      'j1 thanks sent',
      'j1 welcome sent',
      'j2 first-order scheduled',
      'j2 welcome sent',
    ]);

    for (const { userId, ...profile } of profiles) await stack.client('ingest').put(`/v1/users/${userId}`, profile);
    for (const event of events) {
      // The purchase must find Cy's run waiting, as it would in life: send it when the wait has begun.
      if (event.name === 'purchase')
        await eventually(async () => ((await journeyOf('sim-cy'))?.waitingFor === 'purchase' ? true : undefined));
      await stack.client('ingest').post('/v1/events', event);
    }
    const live = await eventually(
      async () => {
        const items = [
          ...(await stack.client('rules').get('/v1/users/sim-cy/decisions')).body.items,
          ...(await stack.client('rules').get('/v1/users/sim-di/decisions')).body.items,
        ].filter((d: { campaignId: string }) => d.campaignId === 'welcome-journey');
        const summary = summariseSteps(items);
        return summary.length === expected.length ? summary : undefined;
      },
      { what: `${expected.length} live journey decisions`, timeoutMs: 30_000 },
    );
    expect(live).toEqual(expected);
  });

  async function journeyOf(userId: string): Promise<{ waitingFor: string | null } | undefined> {
    return (await stack.client('rules').get(`/v1/users/${userId}/journeys`)).body.items[0];
  }
});

/** A decision of `simulate --json` on a journey step, as these tests read it. */
interface SimulatedStep {
  at: string;
  campaignId: string;
  triggerEventId: string;
  stepId?: string;
  outcome: string;
}

function summariseSteps(decisions: { triggerEventId: string; stepId?: string; outcome: string }[]): string[] {
  return decisions.map((d) => `${d.triggerEventId} ${d.stepId} ${d.outcome}`).sort();
}

function summarise(decisions: { triggerEventId: string; outcome: string }[]): string[] {
  return decisions.map((d) => `${d.triggerEventId} ${d.outcome}`).sort();
}
