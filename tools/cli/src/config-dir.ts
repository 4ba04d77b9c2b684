import { parseCampaignText, validateCampaign, type CampaignDocument } from '@nudge/campaigns';
import { validateSettings, DEFAULT_SETTINGS, type Settings } from '@nudge/settings';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';

/** One problem in a config file: where (file, path, line) and what. */
export interface FileIssue {
  file: string;
  path: string;
  line?: number;
  message: string;
}

export interface ConfigDir {
  campaigns: { file: string; document: CampaignDocument }[];
  settings: Settings;
  settingsFile?: string;
  issues: FileIssue[];
}

const CAMPAIGN_FILE = /\.(ya?ml|json)$/i;
const SETTINGS_FILES = ['settings.yaml', 'settings.yml', 'settings.json'];

/** Reads and validates a config directory (settings.yaml and campaigns/*) as rules would. */
export async function readConfigDir(dir: string): Promise<ConfigDir> {
  if (!existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  const result: ConfigDir = { campaigns: [], settings: DEFAULT_SETTINGS, issues: [] };
  const settingsFile = SETTINGS_FILES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  if (settingsFile) {
    result.settingsFile = settingsFile;
    const checked = await checkFile(settingsFile, (value) => validateSettings(value));
    if (checked.ok) result.settings = checked.value;
    else result.issues.push(...checked.issues);
  }
  const campaignsDir = existsSync(path.join(dir, 'campaigns')) ? path.join(dir, 'campaigns') : dir;
  const names = (await readdir(campaignsDir)).filter((name) => CAMPAIGN_FILE.test(name) && !SETTINGS_FILES.includes(name)).sort();
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(campaignsDir, name);
    const checked = await checkFile(file, (value) => {
      const validation = validateCampaign(value);
      return validation.ok ? { ok: true as const, value: validation.campaign } : validation;
    });
    if (!checked.ok) {
      result.issues.push(...checked.issues);
      continue;
    }
    const other = seen.get(checked.value.id);
    if (other) result.issues.push({ file, path: 'id', message: `"${checked.value.id}" is also the id of ${other}` });
    seen.set(checked.value.id, file);
    result.campaigns.push({ file, document: checked.value });
  }
  return result;
}

type Validation<T> = { ok: true; value: T } | { ok: false; errors: { path: string; message: string }[] };
type Checked<T> = { ok: true; value: T } | { ok: false; issues: FileIssue[] };

async function checkFile<T>(file: string, validate: (value: unknown) => Validation<T> | { ok: true; settings: T }): Promise<Checked<T>> {
  const text = await readFile(file, 'utf8');
  const parsed = parseCampaignText(text, path.basename(file));
  if (!parsed.ok) return { ok: false, issues: parsed.errors.map((e) => ({ file, path: e.path, message: e.message })) };
  const validation = validate(parsed.value) as Validation<T> | { ok: true; settings: T };
  if (validation.ok) return { ok: true, value: 'value' in validation ? validation.value : validation.settings };
  const lines = lineFinder(text);
  return { ok: false, issues: validation.errors.map((e) => ({ file, path: e.path, message: e.message, line: lines(e.path) })) };
}

/** Finds the line of a path like `trigger.conditions.all[0].operator` in YAML/JSON text. */
function lineFinder(text: string): (errorPath: string) => number | undefined {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  return (errorPath) => {
    const segments = errorPath.match(/[^.[\]]+/g)?.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) ?? [];
    // The deepest node that exists: an unknown key's parent, a missing field's object.
    for (let depth = segments.length; depth >= 0; depth--) {
      const node = document.getIn(segments.slice(0, depth), true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}
