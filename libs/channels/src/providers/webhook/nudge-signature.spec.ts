import { nudgeSignature, verifyNudgeSignature } from './nudge-signature';

describe('verifyNudgeSignature', () => {
  const secret = 'whsec_test';
  const rawBody = '{"messageId":"m-1","body":"Hi Ana"}';
  const header = nudgeSignature(secret, rawBody);

  it('accepts the signature of the body as received, as string or bytes', () => {
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyNudgeSignature(secret, rawBody, header)).toBe(true);
    expect(verifyNudgeSignature(secret, Buffer.from(rawBody), header)).toBe(true);
  });

  it.each([
    ['a tampered body', secret, '{"messageId":"m-1","body":"Hi Eve"}', header],
    ['another secret', 'whsec_other', rawBody, header],
    ['a missing header', secret, rawBody, undefined],
    ['an empty header', secret, rawBody, ''],
    ['a header without the scheme', secret, rawBody, header.slice('sha256='.length)],
    ['a truncated signature', secret, rawBody, header.slice(0, -2)],
  ])('rejects %s', (_case, usedSecret, body, presented) => {
    expect(verifyNudgeSignature(usedSecret, body, presented)).toBe(false);
  });
});
