import type { ArgumentsHost } from '@nestjs/common';
import { ValidationError } from '@nudge/contracts';
import { ERROR_BODY_LIMITS, HttpErrorFilter } from './http-error.filter';

/** The error body as these tests read it: each case here has at least one detail. */
interface AnswerBody {
  error: { code: string; message: string; details: [ErrorDetail, ...ErrorDetail[]] };
}
interface ErrorDetail {
  path: string;
  message: string;
}

/** What the filter answers to `exception`, through a minimal Express-like response. */
function answerTo(exception: unknown): { status: number; body: AnswerBody } {
  const answer: { status: number; body?: AnswerBody } = { status: 0 };
  const response = {
    status(code: number) {
      answer.status = code;
      return response;
    },
    json(body: unknown) {
      answer.body = body as AnswerBody;
      return response;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }) } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  if (!answer.body) throw new Error('the filter answered no body');
  return { status: answer.status, body: answer.body };
}

describe('HttpErrorFilter', () => {
  it('names (body) for a validation detail about the whole document', () => {
    const answer = answerTo(
      new ValidationError('invalid settings: Expected object, received array', [{ path: '', message: 'Expected object, received array' }]),
    );

    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([{ path: '(body)', message: 'Expected object, received array' }]);
  });

  it('keeps the paths a validation names', () => {
    const answer = answerTo(new ValidationError('bad', [{ path: 'trigger.event', message: 'Required' }]));

    expect(answer.body.error.details).toEqual([{ path: 'trigger.event', message: 'Required' }]);
  });

  it('answers 400 naming the body when Postgres refuses a NUL character a client sent', () => {
    for (const code of ['22021', '22P05']) {
      const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { driverError: { code } });

      const answer = answerTo(refused);

      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([{ path: '(body)', message: expect.stringContaining('NUL') }]);
    }
  });

  it('keeps any other database error a 500', () => {
    const answer = answerTo(Object.assign(new Error('deadlock detected'), { driverError: { code: '40P01' } }));

    expect(answer.status).toBe(500);
  });

  it('never echoes a hostile request back at length: messages, paths and the number of details are bounded', () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `'k${i}'`).join(', ');
    const details = Array.from({ length: 1200 }, (_, i) => ({
      path: `x${i}.${'y'.repeat(1000)}`,
      message: `Unrecognized key(s) in object: ${keys}`,
    }));

    const answer = answerTo(new ValidationError(`invalid inbound message: ${keys}`, details));

    expect(answer.status).toBe(400);
    expect(answer.body.error.message.length).toBeLessThanOrEqual(ERROR_BODY_LIMITS.messageCharacters + 40);
    expect(answer.body.error.message).toMatch(/\(and 200 more problems\)$/);
    expect(answer.body.error.details).toHaveLength(ERROR_BODY_LIMITS.details);
    expect(answer.body.error.details[0].path).toMatch(/^x0\.y+…$/);
    expect(answer.body.error.details[0].path.length).toBe(ERROR_BODY_LIMITS.pathCharacters);
    expect(JSON.stringify(answer.body).length).toBeLessThan(1_500_000);
  });
});
