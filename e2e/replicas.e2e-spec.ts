import type { INestApplication } from '@nestjs/common';
import { createDispatchApp } from '@nudge/dispatch';
import { createRulesApp } from '@nudge/rules';
import { ServiceMetrics } from '@nudge/service-runtime';
import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

/** The sum of a counter's values (those with `labels`) in one instance's own registry (each Nest app has its own). */
async function counted(app: INestApplication, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = app.get(ServiceMetrics).registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([label, value]) => v.labels[label] === value))
    .reduce((sum, { value }) => sum + value, 0);
}

interface Decision {
  campaignId: string;
  outcome: string;
}

// Issue #14 §3: two instances each of rules and dispatch share the work — the consumer group
// splits the events' partitions between the rules instances, the pollers of both claim timers
// and messages without taking one twice — and what holds for one instance holds for two: a
// cap, one firing per timer, one message per send.
describe('two instances each of rules and dispatch', () => {
  let stack: TestStack;
  const others: INestApplication[] = [];

  beforeAll(async () => {
    stack = await startNudge({ label: 'replicas' });
    const settings = { frequencyCaps: [{ category: 'marketing', channel: 'any', max: 1, per: 'P1D' }] };
    expect((await stack.client('rules').put('/v1/settings', settings)).status).toBe(200);
    const welcome = (id: string) => aCampaign(id).triggeredBy('signed_up').withBody('Welcome, {{ profile.attributes.firstName }}');
    const campaigns = [
      welcome('now').build(),
      // A timer whose firing is capped by the send above, whichever instance fires it.
      welcome('later-capped').withDelay('PT2S').build(),
      // A timer that sends (transactional: no marketing cap), once whichever instance fires it.
      { ...welcome('later-sent').withDelay('PT2S').build(), category: 'transactional' },
    ];
    for (const campaign of campaigns) expect((await stack.client('rules').put(`/v1/campaigns/${campaign.id}`, campaign)).status).toBe(200);
    // The second instances join the same consumer groups with the same environment, as a scaled deployment would.
    // The second rules instance never polls for campaigns during the run: a campaign saved
    // through the first must reach it by the consumer's per-batch check alone.
    for (const app of [await createRulesApp({ ...stack.env, CAMPAIGN_REFRESH_MS: '600000' }), await createDispatchApp(stack.env)]) {
      await app.init();
      others.push(app);
    }
  });

  afterAll(async () => {
    for (const app of others) await app.close();
    await stack?.stop();
  });

  it('both rules instances decide users, and each user gets each send once with the cap held', async () => {
    const [secondRules, secondDispatch] = others as [INestApplication, INestApplication];
    const rules = [stack.app('rules'), secondRules];
    const dispatch = [stack.app('dispatch'), secondDispatch];
    const users: string[] = [];
    const everyInstanceWorked = async () => {
      // `scheduled` is logged only where a trigger is evaluated: an instance with none of the
      // events' partitions would log none (its timer poller's firings log `sent` or `capped`).
      const decided = await Promise.all(rules.map((app) => counted(app, 'nudge_decisions_total', { outcome: 'scheduled' })));
      const sent = await Promise.all(dispatch.map((app) => counted(app, 'nudge_dispatch_sends_total')));
      return [...decided, ...sent].every((n) => n > 0);
    };

    // Waves of new users until every instance has worked: the group rebalances onto the second
    // rules instance once it joins, which takes a moment the first wave may not wait for.
    for (let wave = 0; wave < 8 && !(wave > 1 && (await everyInstanceWorked())); wave++) {
      const batch = Array.from({ length: 12 }, (_, i) => `rep-${wave}-${i}`);
      users.push(...batch);
      await Promise.all(
        batch.map((u, i) =>
          stack.client('ingest').put(`/v1/users/${u}`, aReachableProfile(u, `+3462${String(wave * 100 + i).padStart(7, '0')}`)),
        ),
      );
      expect(
        (await stack.client('ingest').post('/v1/events/batch', { events: batch.map((u) => ({ userId: u, name: 'signed_up' })) })).status,
      ).toBe(202);
      await eventually(
        async () => {
          const { body } = await stack.client('rules').get(`/v1/users/${batch[batch.length - 1]}/decisions`);
          return body.items.length > 0 ? true : undefined;
        },
        { what: `wave ${wave} decided`, timeoutMs: 30_000 },
      );
    }
    await eventually(async () => ((await everyInstanceWorked()) ? true : undefined), {
      what: 'decisions by both rules instances and sends by both dispatch instances',
      timeoutMs: 30_000,
    });

    for (const user of users) {
      const decisions: Decision[] = await eventually(
        async () => {
          const { body } = await stack.client('rules').get(`/v1/users/${user}/decisions`);
          const final = body.items.filter((d: Decision) => d.outcome !== 'scheduled');
          return final.length >= 3 ? body.items : undefined;
        },
        { what: `the three final decisions for ${user}`, timeoutMs: 30_000 },
      );
      const final = decisions
        .filter((d) => d.outcome !== 'scheduled')
        .map((d) => `${d.campaignId}:${d.outcome}`)
        .sort();
      // One final decision per campaign: a timer fired twice would log a second one.
      expect({ user, final }).toEqual({ user, final: ['later-capped:capped', 'later-sent:sent', 'now:sent'] });
      const messages = await eventually(
        async () => {
          const { body } = await stack.client('dispatch').get(`/v1/messages?userId=${user}`);
          const sent = body.items.filter((m: { status: string }) => m.status !== 'queued');
          return sent.length >= 2 ? body.items : undefined;
        },
        { what: `the two messages of ${user} sent` },
      );
      expect(messages.map((m: { campaignId: string }) => m.campaignId).sort()).toEqual(['later-sent', 'now']);
    }

    // Every provider call was for a distinct message: the instances' calls add up to the messages.
    const calls = (await Promise.all(dispatch.map((app) => counted(app, 'nudge_dispatch_sends_total')))).reduce((a, b) => a + b, 0);
    expect(calls).toBe(users.length * 2);
  });

  it('decides events of a campaign saved through the other instance a moment before, on every partition', async () => {
    const [secondRules] = others as [INestApplication];
    const before = await counted(secondRules, 'nudge_decisions_total', { outcome: 'sent' });
    const upgraded = {
      ...aCampaign('upgraded').triggeredBy('plan_upgraded').withBody('Thanks for upgrading').build(),
      category: 'transactional',
    };
    expect((await stack.client('rules').put('/v1/campaigns/upgraded', upgraded)).status).toBe(200);
    // At once, events for users on every partition: those of the second instance's partitions
    // were skipped as "no campaign wants this" until it polled again (CAMPAIGN_REFRESH_MS).
    const users = Array.from({ length: 24 }, (_, i) => `upg-${i}`);
    await Promise.all(
      users.map((u, i) => stack.client('ingest').put(`/v1/users/${u}`, aReachableProfile(u, `+3463${String(i).padStart(7, '0')}`))),
    );
    const posted = await stack
      .client('ingest')
      .post('/v1/events/batch', { events: users.map((u) => ({ userId: u, name: 'plan_upgraded' })) });
    expect(posted.status).toBe(202);
    for (const user of users) {
      await eventually(
        async () => {
          const { body } = await stack.client('rules').get(`/v1/users/${user}/decisions`);
          return body.items.some((d: Decision) => d.campaignId === 'upgraded' && d.outcome === 'sent') ? true : undefined;
        },
        { what: `the upgraded campaign decided for ${user}`, timeoutMs: 30_000 },
      );
    }
    // The second instance took part: it holds some of the events' partitions.
    expect(await counted(secondRules, 'nudge_decisions_total', { outcome: 'sent' })).toBeGreaterThan(before);
  });
});
