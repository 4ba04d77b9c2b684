import { ProviderPermanentError } from '../../provider-errors';
import { startFakeProviderServer } from '../../testing/fake-provider-server';
import { callProvider, MAX_ANSWER_BYTES } from './provider-http';

describe('callProvider', () => {
  it('reads no more than 64 KB of an answer', async () => {
    const api = await startFakeProviderServer(() => ({ status: 500, body: 'x'.repeat(1024 * 1024), contentType: 'text/plain' }));
    try {
      const answer = await callProvider('the api', `${api.baseUrl}/send`, { method: 'POST', body: '{}' }, 5_000);
      expect(answer.status).toBe(500);
      expect(answer.text).toHaveLength(MAX_ANSWER_BYTES);
    } finally {
      await api.close();
    }
  });
});

describe('provider errors', () => {
  it('keep at most 500 characters of a reason, for every adapter', () => {
    expect(new ProviderPermanentError(`the api answered: ${'x'.repeat(10_000)}`).message).toHaveLength(500);
    expect(new ProviderPermanentError('short').message).toBe('short');
  });
});
