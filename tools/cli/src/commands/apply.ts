import { canonicalJson } from '@nudge/campaigns';
import { readConfigDir } from '../config-dir';
import { formatIssue } from './validate';

export interface ApplyOptions {
  url: string;
  apiKey?: string;
  dryRun: boolean;
}

type Change = 'created' | 'changed' | 'unchanged';

/**
 * `nudge apply <dir>`: validates offline, shows per campaign (and settings) whether it
 * would be created, changed or left unchanged on the running rules service, then
 * applies unless --dry-run. Exit 1 on invalid files or a refused save.
 */
export async function applyCommand(dir: string, options: ApplyOptions, out: (line: string) => void): Promise<number> {
  const config = await readConfigDir(dir);
  if (config.issues.length > 0) {
    for (const issue of config.issues) out(formatIssue(issue));
    out('nothing applied: fix the errors above first');
    return 1;
  }
  const api = new RulesApi(options.url, options.apiKey);
  const plan: { label: string; change: Change; apply: () => Promise<void> }[] = [];
  if (config.settingsFile) {
    const current = await api.get('/v1/settings');
    const change: Change =
      current.status === 200 && sameJson(current.body?.document, config.settings)
        ? 'unchanged'
        : current.body?.version
          ? 'changed'
          : 'created';
    plan.push({ label: 'settings', change, apply: () => api.put('/v1/settings', config.settings) });
  }
  for (const { document } of config.campaigns) {
    const current = await api.get(`/v1/campaigns/${encodeURIComponent(document.id)}`);
    const change: Change = current.status === 404 ? 'created' : sameJson(current.body?.document, document) ? 'unchanged' : 'changed';
    plan.push({
      label: `campaign ${document.id}`,
      change,
      apply: () => api.put(`/v1/campaigns/${encodeURIComponent(document.id)}`, document),
    });
  }
  for (const step of plan) out(`${step.change.padEnd(9)} ${step.label}`);
  if (options.dryRun) {
    out('dry run: nothing applied');
    return 0;
  }
  for (const step of plan.filter((s) => s.change !== 'unchanged')) await step.apply();
  const applied = plan.filter((s) => s.change !== 'unchanged').length;
  out(`applied ${applied} change${applied === 1 ? '' : 's'} to ${options.url}`);
  return 0;
}

/** What the rules API answers, as far as apply reads it: a saved document, or an error. */
interface RulesAnswer {
  version?: number;
  document?: unknown;
  error?: { message?: string; details?: { path: string; message: string }[] };
}

class RulesApi {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  get(path: string) {
    return this.request('GET', path);
  }

  async put(path: string, body: unknown): Promise<void> {
    const response = await this.request('PUT', path, body);
    if (response.status !== 200) {
      const details = (response.body?.error?.details ?? []).map((d) => `\n  ${d.path}: ${d.message}`).join('');
      throw new Error(`PUT ${path} answered ${response.status}: ${response.body?.error?.message ?? ''}${details}`);
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: RulesAnswer | undefined }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(`cannot reach rules at ${this.baseUrl} (${(error as Error).message}); is it running? (--url)`);
    }
    if (response.status === 401) throw new Error(`rules at ${this.baseUrl} refused the API key (--api-key or NUDGE_API_KEY)`);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as RulesAnswer) : undefined };
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
