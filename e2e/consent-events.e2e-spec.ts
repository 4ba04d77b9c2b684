import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Consent changes are events (issue #12 item 3): a welcome series triggers on someone opting in.
describe('a campaign triggered by consent_granted', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'consent-events' });
  });

  afterAll(() => stack?.stop());

  it('sends its welcome when a user opts in to SMS marketing, with the consent the opt-in gave', async () => {
    const optedInToSmsMarketing = {
      all: [
        { fact: 'event', path: '$.properties.channel', operator: 'equal', value: 'sms' },
        { fact: 'event', path: '$.properties.category', operator: 'equal', value: 'marketing' },
      ],
    };
    const campaign = aCampaign('welcome-sms')
      .withBody('Welcome {{ profile.attributes.firstName }}, you will hear about our offers')
      .build();
    const welcome = { ...campaign, trigger: { event: 'consent_granted', conditions: optedInToSmsMarketing } };
    expect((await stack.client('rules').put('/v1/campaigns/welcome-sms', welcome)).status).toBeLessThan(300);
    const ingest = stack.client('ingest');
    expect((await ingest.put('/v1/users/ce-1', { attributes: { firstName: 'Clara' } })).status).toBe(200);

    expect((await ingest.put('/v1/users/ce-1', aReachableProfile('Clara', '+34600000301'))).status).toBe(200);
    const sent = await eventually(async () => {
      const { body } = await stack.client('dispatch').get('/v1/messages?userId=ce-1&campaignId=welcome-sms');
      return body.items[0];
    });
    expect(sent.body).toBe('Welcome Clara, you will hear about our offers');
    const { body: decisions } = await stack.client('rules').get('/v1/users/ce-1/decisions');
    // The transactional opt-in is a consent_granted too; the conditions leave it out.
    const outcomes = decisions.items
      .filter((d: { campaignId: string }) => d.campaignId === 'welcome-sms')
      .map((d: { outcome: string }) => d.outcome);
    expect(outcomes.filter((outcome: string) => outcome === 'sent')).toEqual(['sent']);
  });
});
