import { ServiceUnavailableError } from '@nudge/contracts';
import { withdrawalUnpublished } from './consent-withdrawal';

describe('a STOP whose profile Kafka did not take', () => {
  it.each([
    ['the publish deadline', new ServiceUnavailableError('no acknowledgement from Kafka within 2000 ms')],
    ['kafkajs giving up', Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSNumberOfRetriesExceeded' })],
    ['something not an Error', 'broker gone'],
  ])('is unavailable (503, for the provider to redeliver) after %s, saying why', (_case, error) => {
    const failure = withdrawalUnpublished(error, 'sms');
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure.cause).toBe(error);
    expect(failure.message).toContain('the unsubscribe on sms was not applied');
    expect(failure.message).toContain(error instanceof Error ? error.message : error);
    expect(failure.message).toContain('deliver the webhook again');
  });
});
