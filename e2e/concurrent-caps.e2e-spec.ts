import type { INestApplication } from '@nestjs/common';
import { createRulesApp } from '@nudge/rules';
import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Invariant 1: two campaigns firing at once for one user never both slip under a cap,
// even with two rules instances competing for the same timers.
describe('a global cap under concurrency', () => {
  let stack: TestStack;
  let secondRules: INestApplication;

  beforeAll(async () => {
    stack = await startNudge({ label: 'race' });
    const settings = { frequencyCaps: [{ category: 'marketing', channel: 'any', max: 1, per: 'P1D' }] };
    expect((await stack.client('rules').put('/v1/settings', settings)).status).toBe(200);
    for (const [id, event] of [
      ['race-a', 'raced'],
      ['race-b', 'raced'],
      ['race-c', 'raced_too'],
    ]) {
      expect(
        (
          await stack.client('rules').put(
            `/v1/campaigns/${id}`,
            aCampaign(id as string)
              .triggeredBy(event as string)
              .build(),
          )
        ).status,
      ).toBe(200);
    }
    secondRules = await createRulesApp(stack.env);
    await secondRules.init();
  });

  afterAll(async () => {
    await secondRules?.close();
    await stack?.stop();
  });

  it('sends exactly one message per user over many rounds of simultaneous triggers', async () => {
    const rounds = 3;
    const usersPerRound = 15;
    const users: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const batch = Array.from({ length: usersPerRound }, (_, i) => `race-${round}-${i}`);
      users.push(...batch);
      await Promise.all(
        batch.map((u, i) =>
          stack.client('ingest').put(`/v1/users/${u}`, aReachableProfile(u, `+3461${String(round * 100 + i).padStart(7, '0')}`)),
        ),
      );
      // Two events per user, from two requests at once: three campaigns race for one send.
      await Promise.all([
        stack.client('ingest').post('/v1/events/batch', { events: batch.map((u) => ({ userId: u, name: 'raced' })) }),
        stack.client('ingest').post('/v1/events/batch', { events: batch.map((u) => ({ userId: u, name: 'raced_too' })) }),
      ]);
    }

    for (const user of users) {
      const outcomes = await eventually(
        async () => {
          const { body } = await stack.client('rules').get(`/v1/users/${user}/decisions`);
          const list = body.items.map((d: { outcome: string }) => d.outcome);
          return list.length === 3 ? list : undefined;
        },
        { what: `three decisions for ${user}` },
      );
      expect(outcomes.filter((o: string) => o === 'sent')).toHaveLength(1);
      expect(outcomes.filter((o: string) => o === 'capped')).toHaveLength(2);
      const { body } = await stack.client('dispatch').get(`/v1/messages?userId=${user}`);
      expect(body.items).toHaveLength(1);
    }
  });
});
