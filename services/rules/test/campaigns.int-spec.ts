import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const fileCampaign = (delay: string) => `
id: from-file
name: From a file
trigger: { event: signed_up }
delay: ${delay}
message: { channel: sms, body: "Welcome {{ profile.attributes.firstName }}" }
`;

describe('campaigns as code', () => {
  let stack: TestStack;
  let campaignsDir: string;

  beforeAll(async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'nudge-config-'));
    campaignsDir = path.join(configDir, 'campaigns');
    mkdirSync(campaignsDir);
    writeFileSync(path.join(campaignsDir, 'from-file.yaml'), fileCampaign('PT1H'));
    stack = await TestStack.start({ factories: { rules: createRulesApp }, configDir, label: 'campaigns' });
  });

  afterAll(() => stack?.stop());

  const rules = () => stack.client('rules');
  const valid = { name: 'Welcome', trigger: { event: 'signed_up' }, message: { channel: 'sms', body: 'Hi' } };

  it('applies campaign files at start', async () => {
    const { status, body } = await rules().get('/v1/campaigns/from-file');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'from-file', version: 1, source: 'file:campaigns/from-file.yaml', document: { delay: 'PT1H' } });
  });

  it('hot-reloads a changed file as a new version, and never replaces it with a bad one', async () => {
    writeFileSync(path.join(campaignsDir, 'from-file.yaml'), fileCampaign('PT2H'));
    await eventually(async () => ((await rules().get('/v1/campaigns/from-file')).body.version === 2 ? true : undefined), {
      what: 'version 2',
    });

    writeFileSync(path.join(campaignsDir, 'from-file.yaml'), fileCampaign('two hours'));
    writeFileSync(path.join(campaignsDir, 'marker.yaml'), fileCampaign('PT5M').replace('id: from-file', 'id: marker'));
    // The marker is applied after the bad file in the same pass (files go in name order).
    await eventually(async () => ((await rules().get('/v1/campaigns/marker')).status === 200 ? true : undefined), {
      what: 'the marker file',
    });
    const { body } = await rules().get('/v1/campaigns/from-file');
    expect(body).toMatchObject({ version: 2, document: { delay: 'PT2H' } });
  });

  it('versions API saves: created, unchanged, updated', async () => {
    const created = await rules().put('/v1/campaigns/welcome', valid);
    expect(created.body).toMatchObject({ change: 'created', version: 1 });
    const again = await rules().put('/v1/campaigns/welcome', valid);
    expect(again.body).toMatchObject({ change: 'unchanged', version: 1 });
    const updated = await rules().put('/v1/campaigns/welcome', { ...valid, delay: 'PT10M' });
    expect(updated.body).toMatchObject({ change: 'updated', version: 2 });
    const { body } = await rules().get('/v1/campaigns');
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['from-file', 'welcome']));
  });

  it.each([
    ['an unknown key', { ...valid, colour: 'red' }, 'colour'],
    ['a bad duration', { ...valid, delay: '30 minutes' }, 'delay'],
    [
      'an unknown operator',
      { ...valid, trigger: { event: 'x', conditions: { all: [{ fact: 'event', path: '$.a', operator: 'biggerThan', value: 1 }] } } },
      'trigger.conditions.all[0].operator',
    ],
    ['a template that does not parse', { ...valid, message: { channel: 'sms', body: 'Hi {{ name ' } }, 'message.body'],
    ['an id that differs from the URL', { ...valid, id: 'other' }, 'id'],
    ['a body over 16 KiB', { ...valid, message: { channel: 'sms', body: 'x'.repeat(16 * 1024 + 1) } }, 'message.body'],
    ['a Liquid loop bomb', { ...valid, message: { channel: 'sms', body: '{% for i in (1..100000000) %}x{% endfor %}' } }, 'message.body'],
    [
      'a JSONPath filter script',
      { ...valid, trigger: { event: 'x', conditions: { all: [{ fact: 'event', path: '$.a[?(@.b>1)]', operator: 'equal', value: 1 }] } } },
      'trigger.conditions.all[0].path',
    ],
  ])('refuses %s with a 400 naming %s, and saves nothing', async (_label, document, errorPath) => {
    const { status, body } = await rules().put('/v1/campaigns/refused', document);
    expect(status).toBe(400);
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(errorPath);
    expect((await rules().get('/v1/campaigns/refused')).status).toBe(404);
  });

  it('validates without saving', async () => {
    const ok = await rules().post('/v1/campaigns/validate', { id: 'dry-run', ...valid });
    expect(ok).toMatchObject({ status: 200, body: { valid: true } });
    const bad = await rules().post('/v1/campaigns/validate', { id: 'dry-run', ...valid, delay: 'soon' });
    expect(bad.status).toBe(400);
    const hostile = await rules().post('/v1/campaigns/validate', {
      id: 'dry-run',
      ...valid,
      trigger: { event: 'x', conditions: { any: [{ fact: 'profile', path: '$..secret', operator: 'equal', value: 1 }] } },
    });
    expect(hostile.status).toBe(400);
    expect(hostile.body.error.details).toEqual([
      { path: 'trigger.conditions.any[0].path', message: expect.stringContaining('recursive descent') },
    ]);
    expect((await rules().get('/v1/campaigns/dry-run')).status).toBe(404);
  });

  it('keeps a change made through the API when rules restarts with the file unchanged', async () => {
    writeFileSync(path.join(campaignsDir, 'kept.yaml'), fileCampaign('PT1H').replace('id: from-file', 'id: kept'));
    await eventually(async () => ((await rules().get('/v1/campaigns/kept')).status === 200 ? true : undefined), { what: 'kept.yaml' });
    const { body: edited } = await rules().put('/v1/campaigns/kept', { ...valid, delay: 'PT5M' });
    expect(edited.version).toBe(2);
    await stack.stopService('rules');
    await stack.startService('rules');
    const { body } = await rules().get('/v1/campaigns/kept');
    expect(body).toMatchObject({ version: 2, source: 'api', document: { delay: 'PT5M' } });
  });

  it('answers health and metrics', async () => {
    expect((await rules().get('/health')).body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
    const metrics = await rules().get('/metrics');
    expect(metrics.body).toContain('nudge_timer_lateness_seconds');
    expect(metrics.body).toContain('nudge_http_requests_total');
  });
});
