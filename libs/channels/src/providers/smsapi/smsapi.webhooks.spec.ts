import { anSmsapiReport } from '../../testing/fake-smsapi';
import { SmsapiWebhooks } from './smsapi.webhooks';

const SECRET = 's3cr3t/with+chars';
const NOTIFY_URL = 'https://nudge.example/v1/providers/smsapi/status?secret=s3cr3t%2Fwith%2Bchars';
const webhooks = new SmsapiWebhooks({ callbackSecret: SECRET });
const report = (fields: Record<string, string>, url = NOTIFY_URL) =>
  anSmsapiReport(url, {
    MsgId: '5F2A9E1D3463351E7A0F0001',
    idx: 'm-1',
    donedate: '1795514460',
    username: 'acme',
    points: '0.16',
    from: 'Nudge',
    to: '48500000000',
    ...fields,
  });

describe('SmsapiWebhooks', () => {
  it('accepts a report carrying the secret of our notify_url', () => {
    expect(webhooks.verify(report({ status: '404', status_name: 'DELIVERED' }))).toBe(true);
  });

  it('refuses a report with another secret or none', () => {
    expect(webhooks.verify(report({ status: '404' }, 'https://nudge.example/v1/providers/smsapi/status?secret=guess'))).toBe(false);
    expect(webhooks.verify(report({ status: '404' }, 'https://nudge.example/v1/providers/smsapi/status'))).toBe(false);
  });

  it.each([
    ['403', { status: 'sent' }],
    ['404', { status: 'delivered' }],
    ['402', { status: 'expired', reason: 'SMSAPI reported EXPIRED (402)' }],
    ['405', { status: 'failed', reason: 'SMSAPI reported UNDELIVERED (405)' }],
    ['406', { status: 'failed', reason: 'SMSAPI reported FAILED (406)' }],
    ['407', { status: 'failed', reason: 'SMSAPI reported REJECTED (407)' }],
    ['412', { status: 'failed', reason: 'SMSAPI reported STOP (412)' }],
  ])('maps status %s to %j, keyed by idx, at donedate', (status, mapped) => {
    const { statuses, inbound } = webhooks.parse(report({ status }));
    expect({ statuses, inbound }).toEqual({
      statuses: [{ providerMessageId: 'm-1', at: '2026-11-24T10:01:00.000Z', ...mapped }],
      inbound: [],
    });
  });

  it.each(['401', '408', '409', '410', '411'])('reports nothing for the intermediate or unknown status %s', (status) => {
    expect(webhooks.parse(report({ status }))).toEqual({ statuses: [], inbound: [] });
  });

  it('reads a batch of reports given as comma-separated lists', () => {
    const batch = report({ MsgId: 'A1,A2', idx: 'm-1,m-2', status: '404,406', donedate: '1795514460,1795514520' });
    expect(webhooks.parse(batch).statuses).toEqual([
      { providerMessageId: 'm-1', status: 'delivered', at: '2026-11-24T10:01:00.000Z' },
      { providerMessageId: 'm-2', status: 'failed', at: '2026-11-24T10:02:00.000Z', reason: 'SMSAPI reported FAILED (406)' },
    ]);
  });

  it('reads a report POSTed form-encoded as well', () => {
    const posted = {
      ...anSmsapiReport(NOTIFY_URL, {}),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: Buffer.from('MsgId=A1&idx=m-1&status=404&donedate=1795514460'),
    };
    expect(webhooks.parse(posted).statuses).toEqual([{ providerMessageId: 'm-1', status: 'delivered', at: '2026-11-24T10:01:00.000Z' }]);
  });

  it('ignores a report without idx: the message was not sent by us', () => {
    expect(webhooks.parse(anSmsapiReport(NOTIFY_URL, { MsgId: 'A1', status: '404' }))).toEqual({ statuses: [], inbound: [] });
  });
});

describe('SmsapiWebhooks: STOP reports', () => {
  it('makes a 412 STOP report a channel-side opt-out of its number as well as a failure', () => {
    const content = webhooks.parse(
      report({ MsgId: 'A1,A2', idx: 'm-1,m-2', status: '404,412', donedate: '1795514460,1795514520', to: '48500000001,48500000002' }),
    );
    expect(content.statuses[1]).toMatchObject({ providerMessageId: 'm-2', status: 'failed' });
    expect(content.optOuts).toEqual([
      { channel: 'sms', from: '48500000002', suppressed: true, event: 'smsapi:STOP', at: '2026-11-24T10:02:00.000Z' },
    ]);
  });

  it('reports no opt-out for a STOP report without the number', () => {
    expect(webhooks.parse(report({ idx: 'm-1', status: '412', to: '' })).optOuts).toBeUndefined();
  });
});
