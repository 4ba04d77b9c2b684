import { eventually, type TestStack } from '@nudge/testing';
import { aReachableProfile, startNudge } from './support/nudge-stack';

/** The journey of the issue: a message, a wait for its click (with a timeout), a branch on the click. */
const onboarding = {
  id: 'onboarding',
  name: 'Onboarding journey',
  trigger: { event: 'signed_up' },
  steps: [
    {
      id: 'welcome',
      type: 'message',
      message: { channel: 'sms', body: 'Welcome {{ profile.attributes.firstName }}: {{ "https://shop.example/start" | track }}' },
    },
    { id: 'await-click', type: 'waitFor', event: 'message_clicked', timeout: 'PT4S', next: 'route', onTimeout: 'route' },
    {
      id: 'route',
      type: 'branch',
      branches: [{ when: { fact: 'journey', path: '$.steps.welcome.clicked', operator: 'equal', value: true }, next: 'thanks' }],
      default: 'reminder',
    },
    {
      id: 'reminder',
      type: 'message',
      message: { channel: 'sms', body: 'Still thinking, {{ profile.attributes.firstName }}?' },
      next: 'done',
    },
    { id: 'thanks', type: 'message', message: { channel: 'sms', body: 'Thanks for looking, {{ profile.attributes.firstName }}' } },
    { id: 'done', type: 'exit' },
  ],
};

interface Message {
  id: string;
  body: string;
  status: string;
}

describe('journeys on the real stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'journeys' });
    expect((await stack.client('rules').put('/v1/campaigns/onboarding', onboarding)).status).toBeLessThan(300);
  });

  afterAll(() => stack?.stop());

  const messagesOf = async (userId: string): Promise<Message[]> =>
    (await stack.client('dispatch').get(`/v1/messages?userId=${userId}&campaignId=onboarding`)).body.items;

  /**
   * The bodies of a user's messages once dispatch holds `count` of them: a run is completed
   * when rules decided its last step, and the send request reaches dispatch a moment later.
   */
  const bodiesOnceSent = (userId: string, count: number): Promise<string[]> =>
    eventually(async () => {
      const bodies = (await messagesOf(userId)).map((m) => m.body);
      return bodies.length >= count ? bodies : undefined;
    });

  const decisionsOf = async (userId: string): Promise<{ stepId: string; outcome: string; reason: string }[]> =>
    (await stack.client('rules').get(`/v1/users/${userId}/decisions`)).body.items;

  const finished = (userId: string) =>
    eventually(
      async () => {
        const { body } = await stack.client('rules').get(`/v1/users/${userId}/journeys`);
        return body.items[0]?.status === 'completed' ? body.items[0] : undefined;
      },
      { timeoutMs: 20_000 },
    );

  it('takes a user who clicks the welcome link to "thanks", at once', async () => {
    await stack.client('ingest').put('/v1/users/jo-clicker', aReachableProfile('Ana', '+34600000301'));
    await stack.client('ingest').post('/v1/events', { userId: 'jo-clicker', name: 'signed_up', eventId: 'jo-clicker-signup' });

    const welcome = await eventually(async () => (await messagesOf('jo-clicker')).find((m) => m.body.startsWith('Welcome Ana')));
    const code = /\/c\/([A-Za-z0-9_-]+)/.exec(welcome.body)?.[1];
    expect(code).toBeDefined();
    expect((await stack.client('dispatch', '').get(`/c/${code}`)).status).toBe(302);

    const run = await finished('jo-clicker');
    expect(run.steps.welcome).toMatchObject({ outcome: 'sent', clicked: true });
    expect(run.steps['await-click']).toMatchObject({ arrived: true });
    const bodies = await bodiesOnceSent('jo-clicker', 2);
    expect(bodies).toHaveLength(2);
    expect(bodies).toContain('Thanks for looking, Ana');

    const steps = (await decisionsOf('jo-clicker')).map((d) => `${d.stepId}:${d.outcome}`).reverse();
    expect(steps).toEqual([
      'welcome:sent',
      'await-click:scheduled',
      'await-click:branched',
      'route:branched',
      'thanks:sent',
      'done:completed',
    ]);
  });

  it('takes a user who does not click to "reminder" when the wait times out', async () => {
    await stack.client('ingest').put('/v1/users/jo-idle', aReachableProfile('Bea', '+34600000302'));
    await stack.client('ingest').post('/v1/events', { userId: 'jo-idle', name: 'signed_up', eventId: 'jo-idle-signup' });

    const run = await finished('jo-idle');
    expect(run.steps['await-click']).toMatchObject({ arrived: false });
    expect(run.steps.route).toMatchObject({ branch: 'default' });
    const bodies = await bodiesOnceSent('jo-idle', 2);
    expect(bodies).toHaveLength(2);
    expect(bodies).toContain('Still thinking, Bea?');
    const decisions = await decisionsOf('jo-idle');
    expect(decisions.find((d) => d.stepId === 'await-click' && d.outcome === 'branched')?.reason).toMatch(/no message_clicked within PT4S/);
  });

  it('keeps a user in one run at a time: a second trigger meanwhile is not eligible', async () => {
    await stack.client('ingest').put('/v1/users/jo-twice', aReachableProfile('Cruz', '+34600000303'));
    await stack.client('ingest').post('/v1/events', { userId: 'jo-twice', name: 'signed_up', eventId: 'jo-twice-1' });
    await eventually(async () => ((await messagesOf('jo-twice')).length === 1 ? true : undefined));
    await stack.client('ingest').post('/v1/events', { userId: 'jo-twice', name: 'signed_up', eventId: 'jo-twice-2' });
    const refused = await eventually(async () => (await decisionsOf('jo-twice')).find((d) => d.outcome === 'not_eligible'));
    expect(refused.reason).toMatch(/already in onboarding .*concurrentRuns is 1/);
    await finished('jo-twice');
    // Each message step sent once, for the one run.
    expect(await bodiesOnceSent('jo-twice', 2)).toHaveLength(2);
  });

  it('lets running users finish on the version they started when the journey is edited', async () => {
    await stack.client('ingest').put('/v1/users/jo-edit', aReachableProfile('Dani', '+34600000304'));
    await stack.client('ingest').post('/v1/events', { userId: 'jo-edit', name: 'signed_up', eventId: 'jo-edit-signup' });
    await eventually(async () => ((await messagesOf('jo-edit')).length === 1 ? true : undefined));
    const edited = { ...onboarding, steps: [{ id: 'only', type: 'message', message: { channel: 'sms', body: 'v2' } }] };
    expect((await stack.client('rules').put('/v1/campaigns/onboarding', edited)).status).toBeLessThan(300);

    const run = await finished('jo-edit');
    expect(run.campaignVersion).toBe(1);
    const bodies = await bodiesOnceSent('jo-edit', 2);
    expect(bodies).toContain('Still thinking, Dani?');
    expect(bodies).not.toContain('v2');
    await stack.client('rules').put('/v1/campaigns/onboarding', onboarding);
  });
});
