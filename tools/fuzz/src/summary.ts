import { checkHealth, checkNormalDelivery, type CheckResult } from './after-checks';
import { runFuzz, type FuzzReport, type FuzzRunOptions, type Offence } from './fuzz-run';

export interface FuzzVerdict {
  passed: boolean;
  /** The one line the run asserts and prints. */
  line: string;
}

/** `N requests, 0 5xx, 0 unauthorised answers, 0 4xx without a field path, services healthy, a normal event still delivered`, with the real figures. */
export function verdictOf(report: FuzzReport, health: CheckResult, delivery: CheckResult): FuzzVerdict {
  const parts = [
    `${report.sent} requests`,
    `${report.fiveXx} 5xx`,
    `${report.unauthorised} unauthorised answers`,
    `${report.noFieldPath} 4xx without a field path`,
    health.ok ? 'services healthy' : `services NOT healthy (${health.detail})`,
    delivery.ok ? 'a normal event still delivered' : `a normal event NOT delivered (${delivery.detail})`,
  ];
  if (report.acceptedHostile > 0) parts.push(`${report.acceptedHostile} hostile documents accepted`);
  const complete = report.sent === report.planned;
  if (!complete) parts.push(`only ${report.sent} of ${report.planned} sent within the time budget`);
  const passed =
    complete &&
    report.acceptedHostile === 0 &&
    report.fiveXx === 0 &&
    report.unauthorised === 0 &&
    report.noFieldPath === 0 &&
    health.ok &&
    delivery.ok;
  return { passed, line: parts.join(', ') };
}

/** A request as someone would retype it: method, path, the headers that matter, and the body's start. */
export function describeOffence(offence: Offence): string {
  const { request, answer } = offence;
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`)
    .join('; ');
  const body =
    request.body === undefined ? '' : `\n      body (${request.body.length} chars): ${JSON.stringify(request.body.slice(0, 300))}`;
  const got = answer.status === null ? `no answer (${answer.failure})` : `${answer.status} ${JSON.stringify(answer.body.slice(0, 300))}`;
  return (
    `#${offence.index} [${offence.violations.join(', ')}] ${request.service} ${request.method} ${request.path}` +
    `\n      aimed at ${request.route} (${request.kind}, needs ${request.requirement}, ${request.entitled ? 'entitled' : 'not entitled'})` +
    `${headers ? `\n      headers: ${headers}` : ''}${body}\n      got: ${got}`
  );
}

/** The offence classes, most frequent first, each with its first request. */
export function describeClasses(report: FuzzReport, limit = 40): string[] {
  const lines = report.classes.slice(0, limit).map((c) => `${String(c.count).padStart(6)} × ${c.key}\n    ${describeOffence(c.example)}`);
  if (report.classes.length > limit) lines.push(`… and ${report.classes.length - limit} more classes`);
  return lines;
}

/** How the valid requests fared: the happy paths ran, and which routes never said yes (a 404 for a random id is fine). */
export function describeHappyPaths(report: FuzzReport): string {
  const tallies = [...report.validByRoute.entries()];
  const sent = tallies.reduce((n, [, t]) => n + t.sent, 0);
  const succeeded = tallies.reduce((n, [, t]) => n + t.succeeded, 0);
  const never = tallies.filter(([, t]) => t.succeeded === 0).map(([route, t]) => `${route} (${t.sent})`);
  return `${succeeded} of ${sent} valid requests got a 2xx, ${report.notEntitled} requests had no credential entitling them${never.length ? `; none did on ${never.join(', ')}` : ''}`;
}

/** Everything a fuzz run found, and its one-line verdict. */
export interface FuzzOutcome {
  report: FuzzReport;
  health: CheckResult;
  delivery: CheckResult;
  verdict: FuzzVerdict;
}

/** The whole run: the generated requests, then health, then a normal event end to end. */
export async function fuzzAndCheck(options: FuzzRunOptions & { deliveryTimeoutMs?: number }): Promise<FuzzOutcome> {
  const report = await runFuzz(options);
  const health = await checkHealth(options.targets);
  const delivery = health.ok
    ? await checkNormalDelivery(options.targets, options.keys, String(options.seed >>> 0), options.deliveryTimeoutMs)
    : { ok: false, detail: 'not tried: a service is unhealthy' };
  return { report, health, delivery, verdict: verdictOf(report, health, delivery) };
}
