import type { CampaignDocument } from './campaign.schema';

export type CampaignActivity = { active: true } | { active: false; reason: string };

/** Whether a campaign takes triggers at `at`: its status, then its schedule (both ends inclusive). */
export function campaignActivityAt(document: Pick<CampaignDocument, 'status' | 'schedule'>, at: Date): CampaignActivity {
  if (document.status !== 'active') return { active: false, reason: `campaign is ${document.status}` };
  const { start, end } = document.schedule ?? {};
  if (start !== undefined && at.getTime() < Date.parse(start)) return { active: false, reason: `campaign schedule starts at ${start}` };
  if (end !== undefined && at.getTime() > Date.parse(end)) return { active: false, reason: `campaign schedule ended at ${end}` };
  return { active: true };
}
