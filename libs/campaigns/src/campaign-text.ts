import type { ValidationIssue } from '@nudge/contracts';
import { LineCounter, parseDocument } from 'yaml';

export type CampaignText = { ok: true; value: unknown } | { ok: false; errors: ValidationIssue[] };

/** Where a problem with the file as a whole (not one field) is reported. */
export const FILE_PATH = '(file)';

/**
 * Parses a campaign file's text, as YAML (`.yaml`, `.yml`) or JSON (`.json`) by its extension.
 * A syntax error comes back as an issue at `(file)` saying `<file>:<line>:<col>`.
 */
export function parseCampaignText(text: string, fileName: string): CampaignText {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'yaml' || extension === 'yml') return parseYaml(text, fileName);
  if (extension === 'json') return parseJson(text, fileName);
  return fileError(`${fileName}: unsupported file type; campaign files end in .yaml, .yml or .json`);
}

function parseYaml(text: string, fileName: string): CampaignText {
  const lineCounter = new LineCounter();
  // YAML 1.2 (the library's default) keeps `2026-11-01T00:00:00Z` and `09:00` as strings, as written.
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const [first] = document.errors;
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    return fileError(`${fileName}:${line}:${col}: ${first.message}`);
  }
  return { ok: true, value: document.toJS() };
}

function parseJson(text: string, fileName: string): CampaignText {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    // Node says "... at position 42" (newer versions add the line too); position or not, we say line:col.
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
    const { line, col } = lineAndColumn(text, position);
    return fileError(`${fileName}:${line}:${col}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

function lineAndColumn(text: string, position: number): { line: number; col: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, col: (before[before.length - 1]?.length ?? 0) + 1 };
}

function fileError(message: string): CampaignText {
  return { ok: false, errors: [{ path: FILE_PATH, message }] };
}
