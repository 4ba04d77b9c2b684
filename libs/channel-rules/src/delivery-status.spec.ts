import type { MessageStatus } from '@nudge/contracts';
import { reportStatus, type StatusReportVerdict } from './delivery-status';

const applied = (status: MessageStatus): StatusReportVerdict => ({ outcome: 'applied', status });
const ignored = (reason: Extract<StatusReportVerdict, { outcome: 'ignored' }>['reason']): StatusReportVerdict => ({
  outcome: 'ignored',
  reason,
});

describe('reportStatus', () => {
  it.each<[string, MessageStatus, MessageStatus, StatusReportVerdict]>([
    ['delivered moves a sent message on', 'sent', 'delivered', applied('delivered')],
    ['read moves a delivered message on', 'delivered', 'read', applied('read')],
    ['clicked moves a read message on', 'read', 'clicked', applied('clicked')],
    ['read may skip delivered (some channels never report it)', 'sent', 'read', applied('read')],
    ['a late delivered never overwrites read', 'read', 'delivered', ignored('regression')],
    ['a late read never overwrites clicked', 'clicked', 'read', ignored('regression')],
    ['a late sent never overwrites delivered', 'delivered', 'sent', ignored('regression')],
    ['the same status twice is a duplicate', 'delivered', 'delivered', ignored('duplicate')],
    ['a reply after a click is recorded', 'clicked', 'replied', applied('replied')],
    ['a click after a reply is recorded', 'replied', 'clicked', applied('clicked')],
    ['a reply to a delivered message is recorded', 'delivered', 'replied', applied('replied')],
    ['failed follows sent', 'sent', 'failed', applied('failed')],
    ['failed after delivered contradicts it and is ignored', 'delivered', 'failed', ignored('regression')],
    ['expired follows sent', 'sent', 'expired', applied('expired')],
    ['expired after read is ignored', 'read', 'expired', ignored('regression')],
    ['proof of delivery supersedes expired', 'expired', 'delivered', applied('delivered')],
    ['a read supersedes expired', 'expired', 'read', applied('read')],
    ['sent after expired is ignored', 'expired', 'sent', ignored('regression')],
    ['failed is final', 'failed', 'delivered', ignored('after_failure')],
    ['a queued message has no provider status yet', 'queued', 'delivered', ignored('not_sent_yet')],
  ])('%s', (_behaviour, current, reported, verdict) => {
    expect(reportStatus(current, reported)).toEqual(verdict);
  });
});
