import type { FuzzKeys } from './access';
import type { ServiceName } from './routes';

/** The outcome of a check after the fuzzing, with what was seen when it failed. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(method: string, url: string, key: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, json };
}

/** Every service answers `GET /health` with 200. */
export async function checkHealth(targets: Record<ServiceName, string>): Promise<CheckResult> {
  const unhealthy: string[] = [];
  for (const [service, base] of Object.entries(targets)) {
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) });
      if (response.status !== 200) unhealthy.push(`${service} ${response.status}: ${(await response.text()).slice(0, 300)}`);
    } catch (error) {
      unhealthy.push(`${service}: ${(error as Error).message}`);
    }
  }
  return { ok: unhealthy.length === 0, detail: unhealthy.join('; ') };
}

/**
 * After the fuzzing, the product still does its job: with the settings put back to their
 * defaults, a valid profile and an event for a zero-delay campaign yield a `delivered`
 * message. The event is sent again every 10 s (a fresh event id) until then, at most `timeoutMs`.
 */
export async function checkNormalDelivery(
  targets: Record<ServiceName, string>,
  keys: FuzzKeys,
  runTag: string,
  timeoutMs = 120_000,
): Promise<CheckResult> {
  const campaignId = `fuzz-final-${runTag}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  const userId = `fuzz-final-user-${runTag}`;
  const event = `fuzz_final_${runTag}`;
  const steps: [string, { status: number; json: unknown }, number][] = [];
  steps.push(['PUT /v1/settings', await call('PUT', `${targets.rules}/v1/settings`, keys.admin, {}), 200]);
  steps.push([
    `PUT /v1/campaigns/${campaignId}`,
    await call('PUT', `${targets.rules}/v1/campaigns/${campaignId}`, keys.admin, {
      id: campaignId,
      name: 'fuzz run: a normal event is still delivered',
      category: 'transactional',
      trigger: { event },
      delay: 'PT0S',
      message: { channel: 'sms', sender: 'ACME', body: 'still here' },
    }),
    200,
  ]);
  steps.push([
    `PUT /v1/users/${userId}`,
    await call('PUT', `${targets.ingest}/v1/users/${userId}`, keys.ingest, {
      attributes: { firstName: 'Final' },
      channels: { sms: { address: '+34600000099', consent: { marketing: true, transactional: true } } },
    }),
    200,
  ]);
  const failed = steps.find(([, answer, expected]) => answer.status !== expected);
  if (failed) return { ok: false, detail: `${failed[0]} answered ${failed[1].status}: ${JSON.stringify(failed[1].json).slice(0, 300)}` };
  const deadline = Date.now() + timeoutMs;
  let lastPost = 0;
  let seen = 'no message';
  while (Date.now() < deadline) {
    if (Date.now() - lastPost >= 10_000) {
      lastPost = Date.now();
      const posted = await call('POST', `${targets.ingest}/v1/events`, keys.ingest, {
        userId,
        name: event,
        timestamp: new Date().toISOString(),
      });
      if (posted.status !== 202)
        return { ok: false, detail: `POST /v1/events answered ${posted.status}: ${JSON.stringify(posted.json).slice(0, 300)}` };
    }
    const listed = await call('GET', `${targets.dispatch}/v1/messages?userId=${encodeURIComponent(userId)}`, keys.admin);
    const listedItems = typeof listed.json === 'object' && listed.json !== null && 'items' in listed.json ? listed.json.items : undefined;
    const items: { status?: string }[] = Array.isArray(listedItems) ? listedItems : [];
    if (items.some((m) => m.status === 'delivered')) return { ok: true, detail: '' };
    seen = listed.status === 200 ? `messages: ${JSON.stringify(items.map((m) => m.status))}` : `GET /v1/messages answered ${listed.status}`;
    await sleep(500);
  }
  return { ok: false, detail: `nothing delivered within ${timeoutMs / 1000} s (${seen})` };
}
