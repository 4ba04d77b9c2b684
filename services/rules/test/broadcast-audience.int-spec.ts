import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
import { Client } from 'pg';

const COUNT = 2_500;
const userId = (n: number) => `aud-${String(n).padStart(5, '0')}`;
/** Every fifth user switched "news" off, every fifth (others) on; even users are gold; every tenth (from 1) gave no SMS consent. */
const newsOf = (n: number) => (n % 5 === 0 ? false : n % 5 === 1 ? true : undefined);
const goldOf = (n: number) => n % 2 === 0;
const consentOf = (n: number) => n % 10 !== 1;
const range = Array.from({ length: COUNT }, (_, i) => i + 1);

// The audience size of a broadcast before it is sent: the same audience the running broadcast
// decides (more profiles than one page), who has the topic on, and who could be reached now.
describe('POST /v1/broadcasts/audience', () => {
  let stack: TestStack;
  let db: Client;
  const rules = () => stack.client('rules');

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'broadcast-audience' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    const documents = range.map((n) => {
      const news = newsOf(n);
      return {
        userId: userId(n),
        attributes: { tier: goldOf(n) ? 'gold' : 'silver' },
        channels: { sms: { address: `+3460${String(n).padStart(7, '0')}`, consent: { marketing: consentOf(n) } } },
        preferences: { topics: news === undefined ? {} : { news } },
        version: 1,
        updatedAt: new Date().toISOString(),
      };
    });
    await db.query(
      `INSERT INTO profiles (user_id, document, version, updated_at) SELECT d->>'userId', d, 1, now() FROM unnest($1::jsonb[]) AS d`,
      [documents.map((d) => JSON.stringify(d))],
    );
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it("counts a topic's audience, who has it on and who could be reached on the message's channel", async () => {
    const { status, body } = await rules().post('/v1/broadcasts/audience', {
      audience: { topic: 'news' },
      message: { channel: 'sms', body: 'News' },
    });
    expect(status).toBe(200);
    const chose = range.filter((n) => newsOf(n) !== undefined);
    const on = chose.filter((n) => newsOf(n) === true);
    expect(body).toEqual({
      audience: chose.length,
      subscribed: on.length,
      reachable: on.filter(consentOf).length,
      scanned: chose.length,
      complete: true,
    });
  });

  it('counts a profile segment over every profile, without a message (reachable unknown)', async () => {
    const conditions = { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }] };
    const { body } = await rules().post('/v1/broadcasts/audience', { audience: { conditions } });
    const gold = range.filter(goldOf).length;
    expect(body).toEqual({ audience: gold, subscribed: gold, reachable: null, scanned: COUNT, complete: true });
  });

  it('takes the compose form as it is, and matches the audience size the broadcast then reaches', async () => {
    const request = {
      id: 'gold-news',
      name: 'Gold news',
      audience: { topic: 'news', conditions: { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }] } },
      message: { channel: 'sms', body: 'News for gold' },
    };
    const estimate = (await rules().post('/v1/broadcasts/audience', request)).body;
    expect(estimate.audience).toBe(range.filter((n) => newsOf(n) !== undefined && goldOf(n)).length);
    expect((await rules().post('/v1/broadcasts', request)).status).toBe(202);
    const done = await eventually(
      async () => {
        const { body } = await rules().get('/v1/broadcasts/gold-news');
        return body.status === 'completed' ? body : undefined;
      },
      { what: 'the broadcast to complete', timeoutMs: 60_000 },
    );
    expect(done.audienceSize).toBe(estimate.audience);
    expect(done.counts.sent).toBe(estimate.reachable);
    expect((await rules().get('/v1/broadcasts/audience')).status).toBe(404);
  });

  it.each([
    [{}, 'audience'],
    [{ audience: {} }, 'audience'],
    [
      { audience: { conditions: { all: [{ fact: 'event', path: '$.name', operator: 'equal', value: 'x' }] } } },
      'audience.conditions.all[0].fact',
    ],
    [{ audience: { topic: 'news' }, message: { channel: 'pigeon', body: 'x' } }, 'message.channel'],
    [{ audience: { topic: 'news' }, colour: 'red' }, 'colour'],
  ])('refuses %j naming %s', async (body, field) => {
    const response = await rules().post('/v1/broadcasts/audience', body);
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});
