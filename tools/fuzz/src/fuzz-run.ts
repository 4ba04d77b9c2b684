import type { FuzzKeys } from './access';
import { judge, type Violation } from './oracle';
import { generateRequests, type FuzzRequest } from './requests';
import type { HttpRoute, ServiceName } from './routes';
import { send, type FuzzAnswer } from './send';

export interface FuzzRunOptions {
  /** Base URL of each service (loopback). */
  targets: Record<ServiceName, string>;
  routes: HttpRoute[];
  keys: FuzzKeys;
  requests: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Per request. */
  timeoutMs?: number;
  /** The whole run stops sending after this long (the requests not sent are reported). */
  budgetMs?: number;
  onProgress?: (line: string) => void;
}

/** One request that broke a rule, with what it got back. */
export interface Offence {
  index: number;
  violations: Violation[];
  request: FuzzRequest;
  answer: FuzzAnswer;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  planned: number;
  fiveXx: number;
  unauthorised: number;
  noFieldPath: number;
  /** Documents issue 10 says must be refused that got a 2xx (not a figure of the line unless non-zero). */
  acceptedHostile: number;
  /** Requests whose credential did not entitle them to their route: each had to be refused. */
  notEntitled: number;
  /** Offences grouped by violation, status, route and request kind, each with its first example. */
  classes: { key: string; count: number; example: Offence }[];
  /** Per route, how many valid entitled requests went and how many got a 2xx: whether the happy paths ran. */
  validByRoute: Map<string, { sent: number; succeeded: number }>;
  elapsedMs: number;
}

/** Sends `requests` generated requests from `seed` at the services and judges every answer. */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const { targets, routes, keys, seed } = options;
  const concurrency = options.concurrency ?? 4;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const budgetMs = options.budgetMs ?? 30 * 60_000;
  const requests = generateRequests(routes, keys, seed, options.requests);
  const started = Date.now();
  const classes = new Map<string, { key: string; count: number; example: Offence }>();
  const validByRoute = new Map<string, { sent: number; succeeded: number }>();
  const counts = { sent: 0, fiveXx: 0, unauthorised: 0, noFieldPath: 0, notEntitled: 0, acceptedHostile: 0 };
  let next = 0;
  const worker = async () => {
    while (next < requests.length && Date.now() - started < budgetMs) {
      const index = next++;
      const request = requests[index] as FuzzRequest;
      const answer = await send(targets[request.service], request, timeoutMs);
      counts.sent++;
      if (!request.entitled) counts.notEntitled++;
      if (request.kind === 'valid') {
        const tally = validByRoute.get(`${request.service} ${request.route}`) ?? { sent: 0, succeeded: 0 };
        tally.sent++;
        if (answer.status !== null && answer.status >= 200 && answer.status < 300) tally.succeeded++;
        validByRoute.set(`${request.service} ${request.route}`, tally);
      }
      const violations = judge(request, answer);
      if (violations.includes('5xx')) counts.fiveXx++;
      if (violations.includes('unauthorised')) counts.unauthorised++;
      if (violations.includes('no-field-path')) counts.noFieldPath++;
      if (violations.includes('accepted-hostile')) counts.acceptedHostile++;
      for (const violation of violations) {
        const key = `${violation} ${answer.status ?? answer.failure} ${request.service} ${request.route} (${request.kind})`;
        const known = classes.get(key);
        if (known) known.count++;
        else classes.set(key, { key, count: 1, example: { index, violations, request, answer } });
      }
      if (counts.sent % 1000 === 0)
        options.onProgress?.(`${counts.sent}/${requests.length} sent after ${Math.round((Date.now() - started) / 1000)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return {
    seed,
    planned: requests.length,
    ...counts,
    classes: [...classes.values()].sort((a, b) => b.count - a.count),
    validByRoute,
    elapsedMs: Date.now() - started,
  };
}
