import { readConfigDir, type FileIssue } from '../config-dir';

/** `nudge validate <dir>`: checks campaign and settings files offline; exit 1 on any error. */
export async function validateCommand(dir: string, out: (line: string) => void): Promise<number> {
  const config = await readConfigDir(dir);
  for (const issue of config.issues) out(formatIssue(issue));
  const files = config.campaigns.length + (config.settingsFile ? 1 : 0);
  if (config.issues.length > 0) {
    out(`${config.issues.length} error${config.issues.length === 1 ? '' : 's'} in ${dir}`);
    return 1;
  }
  out(
    `ok: ${config.campaigns.length} campaign${config.campaigns.length === 1 ? '' : 's'}${config.settingsFile ? ' and settings' : ''} valid (${files} files)`,
  );
  return 0;
}

export function formatIssue(issue: FileIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return `${where}: ${issue.path || '(root)'}: ${issue.message}`;
}
