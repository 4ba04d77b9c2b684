import type { CompiledCampaign } from '@nudge/campaigns';
import { aCampaign } from '@nudge/campaigns/testing';
import type { LedgerEntry } from '@nudge/capping';
import { deriveSendId, emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import {
  advanceRun,
  awaitsEvent,
  cancelRun,
  eventOnRun,
  runCancellation,
  runLimitRefusal,
  startRun,
  withInteraction,
  type JourneyRun,
} from './journey-run';

const t0 = new Date('2026-11-24T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const profile: Profile = {
  ...emptyProfile('u1', t0.toISOString()),
  timezone: 'Europe/Madrid',
  channels: { sms: { address: '+34600000001', consent: { marketing: true } } },
};

const trigger: EventEnvelope = {
  eventId: 'e-1',
  userId: 'u1',
  name: 'signed_up',
  timestamp: t0.toISOString(),
  receivedAt: t0.toISOString(),
  properties: { plan: 'pro' },
  context: {},
};

/** The journey of the e2e test: a message, a wait for its click, a branch on the click. */
const welcome = aCampaign('welcome-journey')
  .withTrigger('signed_up')
  .withSteps([
    { id: 'welcome', type: 'message', message: { channel: 'sms', body: 'Welcome!' } },
    { id: 'await-click', type: 'waitFor', event: 'message_clicked', timeout: 'P1D', next: 'route', onTimeout: 'route' },
    {
      id: 'route',
      type: 'branch',
      branches: [{ when: { fact: 'journey', path: '$.steps.welcome.clicked', operator: 'equal', value: true }, next: 'thanks' }],
      default: 'reminder',
    },
    { id: 'reminder', type: 'message', message: { channel: 'sms', body: 'Still there?' }, next: 'done' },
    { id: 'thanks', type: 'message', message: { channel: 'sms', body: 'Thanks for looking' } },
    { id: 'done', type: 'exit' },
  ])
  .compile();

function contextAt(now: Date, campaign: CompiledCampaign = welcome, ledger: LedgerEntry[] = []) {
  return { pinned: campaign, current: campaign, profile, settings: DEFAULT_SETTINGS, ledger, now };
}

async function started(campaign: CompiledCampaign = welcome, ledger: LedgerEntry[] = []) {
  return advanceRun(startRun(campaign, trigger, t0), contextAt(t0, campaign, ledger), { kind: 'due' });
}

function clickOn(run: JourneyRun, sendId: string | undefined, seconds: number): EventEnvelope {
  return {
    ...trigger,
    eventId: `click-${seconds}`,
    name: 'message_clicked',
    timestamp: at(seconds).toISOString(),
    properties: { campaignId: run.campaignId, sendId: sendId ?? '', messageId: 'm-1', channel: 'sms' },
  };
}

describe('a journey run on virtual time', () => {
  it('sends the first message at once, with a send id that names the step, then waits for the click', async () => {
    const { run, decisions, sends } = await started();
    expect(sends).toEqual([
      expect.objectContaining({
        stepId: 'welcome',
        channel: 'sms',
        sendId: deriveSendId({ campaignId: 'welcome-journey', triggerEventId: 'e-1', stepId: 'welcome' }),
      }),
    ]);
    expect(decisions.map((d) => [d.stepId, d.outcome])).toEqual([
      ['welcome', 'sent'],
      ['await-click', 'scheduled'],
    ]);
    expect(run).toMatchObject({
      stepId: 'await-click',
      phase: 'waiting',
      waitingFor: 'message_clicked',
      dueAt: at(86_400),
      status: 'active',
    });
  });

  it('takes the clicker to "thanks" when the click on the welcome message arrives in time', async () => {
    const first = await started();
    const clicked = withInteraction(first.run, clickOn(first.run, first.run.history.welcome?.sendId, 60)) as JourneyRun;
    expect(clicked.history.welcome).toMatchObject({ clicked: true, read: true, delivered: true });
    const { run, decisions, sends } = await advanceRun(clicked, contextAt(at(60)), {
      kind: 'event',
      event: clickOn(first.run, first.run.history.welcome?.sendId, 60),
    });
    expect(decisions.map((d) => [d.stepId, d.outcome])).toEqual([
      ['await-click', 'branched'],
      ['route', 'branched'],
      ['thanks', 'sent'],
      ['done', 'completed'],
    ]);
    expect(sends.map((s) => s.stepId)).toEqual(['thanks']);
    expect(run.status).toBe('completed');
  });

  it('takes the non-clicker to "reminder" when the wait times out, and ends at the exit step', async () => {
    const first = await started();
    const early = await advanceRun(first.run, contextAt(at(3_600)), { kind: 'due' });
    expect(early.decisions).toEqual([]);
    const { run, decisions, sends } = await advanceRun(first.run, contextAt(at(86_400)), { kind: 'due' });
    expect(decisions.map((d) => [d.stepId, d.outcome])).toEqual([
      ['await-click', 'branched'],
      ['route', 'branched'],
      ['reminder', 'sent'],
      ['done', 'completed'],
    ]);
    expect(decisions[0]?.reason).toMatch(/no message_clicked within P1D/);
    expect(decisions[1]?.reason).toMatch(/no branch of "route" holds: default, next step "reminder"/);
    expect(sends.map((s) => s.stepId)).toEqual(['reminder']);
    expect(run).toMatchObject({ status: 'completed', dueAt: null });
  });

  it('ignores a click on another message, and an event that is not awaited', async () => {
    const first = await started();
    expect(awaitsEvent(first.run, welcome, clickOn(first.run, 'snd_of_another_campaign', 60))).toBe(false);
    expect(withInteraction(first.run, clickOn(first.run, 'snd_of_another_campaign', 60))).toBeNull();
    const other = { ...clickOn(first.run, first.run.history.welcome?.sendId, 60), name: 'purchase' };
    const { decisions } = await advanceRun(first.run, contextAt(at(60)), { kind: 'event', event: other });
    expect(decisions).toEqual([]);
  });

  it('waits a duration, or until the next local time of day in the recipient zone', async () => {
    const waits = aCampaign('waits')
      .withSteps([
        { id: 'pause', type: 'wait', duration: 'PT2H' },
        { id: 'morning', type: 'wait', until: '10:00' },
        { id: 'hello', type: 'message', message: { channel: 'sms', body: 'Good morning' } },
      ])
      .compile();
    const one = await advanceRun(startRun(waits, trigger, t0), contextAt(t0, waits), { kind: 'due' });
    expect(one.run).toMatchObject({ stepId: 'pause', dueAt: at(7_200) });
    const two = await advanceRun(one.run, contextAt(at(7_200), waits), { kind: 'due' });
    // 12:00Z is 13:00 in Madrid: the next 10:00 there is tomorrow at 09:00Z.
    expect(two.run).toMatchObject({ stepId: 'morning', dueAt: new Date('2026-11-25T09:00:00.000Z') });
    expect(two.decisions[0]?.reason).toMatch(/waiting until 10:00 in Europe\/Madrid/);
    const three = await advanceRun(two.run, contextAt(new Date('2026-11-25T09:00:00.000Z'), waits), { kind: 'due' });
    expect(three.sends.map((s) => s.stepId)).toEqual(['hello']);
    expect(three.run.status).toBe('completed');
  });

  it('defers a message step to its window and sends it when the window opens', async () => {
    const windowed = aCampaign('windowed')
      .with('timeWindow', { start: '12:00', end: '20:00' })
      .withSteps([{ id: 'hello', type: 'message', message: { channel: 'sms', body: 'Hi' } }])
      .compile();
    const first = await advanceRun(startRun(windowed, trigger, t0), contextAt(t0, windowed), { kind: 'due' });
    expect(first.decisions.map((d) => d.outcome)).toEqual(['deferred_window']);
    expect(first.run).toMatchObject({ stepId: 'hello', phase: 'ready', dueAt: new Date('2026-11-24T11:00:00.000Z') });
    const later = await advanceRun(first.run, contextAt(new Date('2026-11-24T11:00:00.000Z'), windowed), { kind: 'due' });
    expect(later.decisions.map((d) => d.outcome)).toEqual(['sent', 'completed']);
  });

  it('goes on after a message that may not be sent (capped), and says why', async () => {
    const capped = aCampaign('capped')
      .with('frequencyCaps', [{ max: 1, per: 'P1D' }])
      .withSteps([
        { id: 'one', type: 'message', message: { channel: 'sms', body: 'One' } },
        { id: 'two', type: 'message', message: { channel: 'sms', body: 'Two' } },
        {
          id: 'three',
          type: 'branch',
          branches: [{ when: { fact: 'journey', path: '$.steps.two.outcome', operator: 'equal', value: 'capped' }, next: 'four' }],
        },
        { id: 'four', type: 'exit' },
      ])
      .compile();
    const ledger: LedgerEntry[] = [];
    const { decisions, sends } = await started(capped, ledger);
    expect(decisions.map((d) => [d.stepId, d.outcome])).toEqual([
      ['one', 'sent'],
      ['two', 'capped'],
      ['three', 'branched'],
      ['four', 'completed'],
    ]);
    expect(sends).toHaveLength(1);
    expect(ledger).toHaveLength(1);
  });

  it('branches on the profile and the trigger event; the first branch that holds wins', async () => {
    const routed = aCampaign('routed')
      .withSteps([
        {
          id: 'route',
          type: 'branch',
          branches: [
            { when: { fact: 'profile', path: '$.timezone', operator: 'equal', value: 'Asia/Tokyo' }, next: 'tokyo' },
            { when: { fact: 'event', path: '$.properties.plan', operator: 'equal', value: 'pro' }, next: 'pro' },
            { when: { fact: 'event', path: '$.properties.plan', operator: 'in', value: ['pro', 'free'] }, next: 'any' },
          ],
        },
        { id: 'tokyo', type: 'exit' },
        { id: 'pro', type: 'exit' },
        { id: 'any', type: 'exit' },
      ])
      .compile();
    const { decisions } = await started(routed);
    expect(decisions.map((d) => [d.stepId, d.outcome])).toEqual([
      ['route', 'branched'],
      ['pro', 'completed'],
    ]);
  });

  it('leaves the journey when the campaign is paused, at the next step it reaches', async () => {
    const first = await started();
    const paused = aCampaign('welcome-journey')
      .withStatus('paused')
      .withSteps([{ id: 'x', type: 'exit' }])
      .compile(2);
    const { run, decisions } = await advanceRun(first.run, { ...contextAt(at(86_400)), current: paused }, { kind: 'due' });
    expect(decisions.at(-1)).toMatchObject({ stepId: 'route', outcome: 'campaign_inactive' });
    expect(run.status).toBe('exited');
  });

  it('follows the steps of the version it started on after the journey is edited', async () => {
    const first = await started();
    const edited = aCampaign('welcome-journey')
      .withTrigger('signed_up')
      .withSteps([{ id: 'only', type: 'message', message: { channel: 'sms', body: 'v2' } }])
      .compile(2);
    const { decisions } = await advanceRun(first.run, { ...contextAt(at(86_400)), current: edited }, { kind: 'due' });
    expect(decisions.map((d) => d.stepId)).toEqual(['await-click', 'route', 'reminder', 'done']);
  });

  it('is cancelled by an exception event after the trigger', async () => {
    const guarded = aCampaign('guarded')
      .with('exceptions', [{ event: 'purchase' }])
      .withSteps([
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'hello', type: 'message', message: { channel: 'sms', body: 'Hi' } },
      ])
      .compile();
    const first = await started(guarded);
    const purchase = { ...trigger, eventId: 'p-1', name: 'purchase', timestamp: at(60).toISOString() };
    const cancellation = runCancellation(first.run, guarded, [purchase], at(60));
    expect(cancellation?.reason).toMatch(/cancelled by purchase p-1/);
    const { run, decisions } = cancelRun(first.run, cancellation?.reason ?? '', at(60));
    expect(run.status).toBe('exited');
    expect(decisions).toEqual([expect.objectContaining({ stepId: 'pause', outcome: 'cancelled_exception' })]);
    expect((await advanceRun(run, contextAt(at(3_600), guarded), { kind: 'due' })).decisions).toEqual([]);
  });

  it('does not change the run it is given', async () => {
    const first = await started();
    const copy = structuredClone(first.run);
    await advanceRun(first.run, contextAt(at(86_400)), { kind: 'due' });
    expect(first.run).toEqual(copy);
  });

  it('refuses a trigger while the user is in as many runs as concurrentRuns allows, naming the oldest', async () => {
    const first = (await started()).run;
    expect(runLimitRefusal(welcome, 'u1', [first])).toEqual({
      stepId: 'welcome',
      reason: `already in welcome-journey (run ${first.runId} at step "await-click" since ${t0.toISOString()}); concurrentRuns is 1`,
    });
    expect(runLimitRefusal(welcome, 'u2', [first])).toBeNull();
    expect(runLimitRefusal(welcome, 'u1', [{ ...first, status: 'completed' }])).toBeNull();
    const twice = aCampaign('welcome-journey')
      .withTrigger('signed_up')
      .with('concurrentRuns', 2)
      .withSteps([{ id: 'x', type: 'exit' }])
      .compile();
    expect(runLimitRefusal(twice, 'u1', [first])).toBeNull();
    expect(runLimitRefusal(twice, 'u1', [first, { ...first, runId: 'run_2' }])?.reason).toMatch(/concurrentRuns is 2/);
  });

  it('tells what an event does to a run: remembered, cancelled or awaited', async () => {
    const first = (await started()).run;
    const click = clickOn(first, first.history.welcome?.sendId, 60);
    expect(eventOnRun(first, welcome, click, at(60))).toMatchObject({ remembered: true, cancelled: null, awaited: true });
    const unrelated = { ...click, name: 'purchase', properties: {} };
    expect(eventOnRun(first, welcome, unrelated, at(60))).toEqual({ run: first, remembered: false, cancelled: null, awaited: false });
  });
});
