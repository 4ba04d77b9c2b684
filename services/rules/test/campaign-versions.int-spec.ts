import type { INestApplication } from '@nestjs/common';
import { createRulesApp } from '@nudge/rules';
import { TestStack } from '@nudge/testing';
import { CampaignCatalog } from '../src/campaigns/campaign-catalog.service';

describe('campaign versions: history, rollback, pause and activate', () => {
  let stack: TestStack;
  /** A second rules instance on the same database: what it runs shows the fingerprint refresh. */
  let other: INestApplication;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'campaign-versions' });
    other = await createRulesApp(stack.env);
    await other.init();
    const rules = stack.client('rules');
    await rules.put('/v1/campaigns/welcome', { ...welcome, delay: 'PT1M' });
    await rules.put('/v1/campaigns/welcome', { ...welcome, delay: 'PT2M' });
    await rules.put('/v1/campaigns/welcome', { ...welcome, delay: 'PT3M' });
  });

  afterAll(async () => {
    await other?.close();
    await stack?.stop();
  });

  const rules = () => stack.client('rules');
  const welcome = { name: 'Welcome', trigger: { event: 'signed_up' }, message: { channel: 'sms', body: 'Hi' } };
  /** What the other instance runs once it has looked at the catalog's fingerprint (as it does before each batch of events). */
  const runningElsewhere = async () => {
    const catalog = other.get(CampaignCatalog);
    await catalog.ensureCurrent();
    const campaign = catalog.get('welcome');
    return { version: campaign?.version, delay: campaign?.document.delay, status: campaign?.document.status };
  };

  it('lists the versions newest first, a page at a time, with where each came from and what it was', async () => {
    const first = await rules().get('/v1/campaigns/welcome/versions?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ campaignId: 'welcome', current: 3, nextCursor: '2' });
    expect(first.body.items).toEqual([
      {
        version: 3,
        createdAt: expect.any(String),
        source: 'api',
        checksum: expect.any(String),
        status: 'active',
        trigger: 'signed_up',
        name: 'Welcome',
        journey: false,
      },
      expect.objectContaining({ version: 2 }),
    ]);
    const second = await rules().get(`/v1/campaigns/welcome/versions?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers one version with its document', async () => {
    const { status, body } = await rules().get('/v1/campaigns/welcome/versions/1');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'welcome', version: 1, source: 'api', document: { delay: 'PT1M' } });
  });

  it('answers 404 for an unknown campaign or version, 400 naming the part for a bad one', async () => {
    expect((await rules().get('/v1/campaigns/nobody/versions')).status).toBe(404);
    expect((await rules().get('/v1/campaigns/welcome/versions/9')).status).toBe(404);
    const badVersion = await rules().get('/v1/campaigns/welcome/versions/first');
    expect([badVersion.status, badVersion.body.error.details[0].path]).toEqual([400, 'version']);
    const badLimit = await rules().get('/v1/campaigns/welcome/versions?limit=0');
    expect([badLimit.status, badLimit.body.error.details[0].path]).toEqual([400, 'query.limit']);
  });

  it("rolls back by saving the old version's document as a new version, which every instance then runs", async () => {
    expect(await runningElsewhere()).toEqual({ version: 3, delay: 'PT3M', status: 'active' });
    const { status, body } = await rules().post('/v1/campaigns/welcome/rollback', { version: 1 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ change: 'updated', id: 'welcome', version: 4, source: 'api:rollback:v1', document: { delay: 'PT1M' } });
    expect(await runningElsewhere()).toEqual({ version: 4, delay: 'PT1M', status: 'active' });
    const history = await rules().get('/v1/campaigns/welcome/versions');
    expect(history.body.items.map((v: { version: number; source: string }) => `${v.version} ${v.source}`)).toEqual([
      '4 api:rollback:v1',
      '3 api',
      '2 api',
      '1 api',
    ]);
  });

  it('refuses a rollback to what runs now (409), to an unknown version (404), and without a version (400)', async () => {
    const current = await rules().post('/v1/campaigns/welcome/rollback', { version: 4 });
    expect([current.status, current.body.error.code]).toEqual([409, 'conflict']);
    // Version 1 holds the same document as version 4, which runs now.
    expect((await rules().post('/v1/campaigns/welcome/rollback', { version: 1 })).status).toBe(409);
    expect((await rules().post('/v1/campaigns/welcome/rollback', { version: 40 })).status).toBe(404);
    expect((await rules().post('/v1/campaigns/nobody/rollback', { version: 1 })).status).toBe(404);
    const missing = await rules().post('/v1/campaigns/welcome/rollback', {});
    expect([missing.status, missing.body.error.details]).toEqual([400, [{ path: 'version', message: 'is required' }]]);
    expect((await rules().get('/v1/campaigns/welcome')).body.version).toBe(4);
  });

  it('pauses and activates with a new version each, and changes nothing when the status is already that', async () => {
    const paused = await rules().post('/v1/campaigns/welcome/pause');
    expect(paused.body).toMatchObject({ change: 'updated', version: 5, source: 'api:pause', document: { status: 'paused' } });
    expect(await runningElsewhere()).toEqual({ version: 5, delay: 'PT1M', status: 'paused' });
    const again = await rules().post('/v1/campaigns/welcome/pause');
    expect(again.body).toMatchObject({ change: 'unchanged', version: 5 });
    const active = await rules().post('/v1/campaigns/welcome/activate');
    expect(active.body).toMatchObject({ change: 'updated', version: 6, source: 'api:activate', document: { status: 'active' } });
    expect((await rules().post('/v1/campaigns/welcome/activate')).body).toMatchObject({ change: 'unchanged', version: 6 });
    expect((await rules().post('/v1/campaigns/nobody/pause')).status).toBe(404);
    const history = await rules().get('/v1/campaigns/welcome/versions?limit=2');
    expect(history.body.items.map((v: { status: string }) => v.status)).toEqual(['active', 'paused']);
  });
});
