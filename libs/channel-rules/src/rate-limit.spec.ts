import { parseRateLimit, sameRateLimit, TokenBucket } from './rate-limit';

describe('parseRateLimit', () => {
  it.each([
    ['50/s', { messages: 50, perMs: 1_000 }],
    ['600/m', { messages: 600, perMs: 60_000 }],
    ['10000/h', { messages: 10_000, perMs: 3_600_000 }],
    ['0.5/s', { messages: 0.5, perMs: 1_000 }],
  ])('reads %s', (text, limit) => {
    expect(parseRateLimit(text)).toEqual(limit);
  });

  it.each(['50', '50/d', '/s', '0/s', 'fast'])('refuses %j', (text) => {
    expect(() => parseRateLimit(text)).toThrow(/is not a rate such as 50\/s, 600\/m or 10000\/h/);
  });

  it('600/m is the same rate as 10/s', () => {
    expect(sameRateLimit(parseRateLimit('600/m'), parseRateLimit('10/s'))).toBe(true);
    expect(sameRateLimit(parseRateLimit('600/m'), parseRateLimit('11/s'))).toBe(false);
  });
});

describe('TokenBucket', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('starts with one second of tokens and hands out no more', () => {
    const time = clock();
    const bucket = new TokenBucket(parseRateLimit('10/s'), time.now);
    expect(bucket.takeUpTo(500)).toBe(10);
    expect(bucket.takeUpTo(500)).toBe(0);
  });

  it('refills at the rate, whole tokens only', () => {
    const time = clock();
    const bucket = new TokenBucket(parseRateLimit('10/s'), time.now);
    bucket.takeUpTo(10);
    time.advance(250);
    expect(bucket.takeUpTo(500)).toBe(2);
    time.advance(50);
    expect(bucket.takeUpTo(500)).toBe(1);
    expect(bucket.msUntilNextToken()).toBe(100);
  });

  it('never holds more than a second of tokens, however long it was idle', () => {
    const time = clock();
    const bucket = new TokenBucket(parseRateLimit('600/m'), time.now);
    time.advance(3_600_000);
    expect(bucket.available()).toBe(10);
  });

  it('a slow rate still lets one message through at a time', () => {
    const time = clock();
    const bucket = new TokenBucket(parseRateLimit('60/h'), time.now);
    expect(bucket.takeUpTo(5)).toBe(1);
    expect(bucket.msUntilNextToken()).toBe(60_000);
    time.advance(60_000);
    expect(bucket.takeUpTo(5)).toBe(1);
  });

  it('takes what it is asked for when it has more', () => {
    const bucket = new TokenBucket(parseRateLimit('50/s'), clock().now);
    expect(bucket.takeUpTo(3)).toBe(3);
    expect(bucket.available()).toBe(47);
  });

  it('gets back unused tokens, up to its capacity', () => {
    const time = clock();
    const bucket = new TokenBucket(parseRateLimit('10/s'), time.now);
    bucket.takeUpTo(10);
    bucket.giveBack(4);
    expect(bucket.available()).toBe(4);
    bucket.giveBack(100);
    expect(bucket.available()).toBe(10);
  });

  it('30 messages at 10/s take two seconds after the first burst', () => {
    const time = clock();
    const bucket = new TokenBucket(parseRateLimit('10/s'), time.now);
    const sentAt: number[] = [];
    const start = time.now();
    while (sentAt.length < 30) {
      const taken = bucket.takeUpTo(500);
      for (let i = 0; i < taken && sentAt.length < 30; i++) sentAt.push(time.now() - start);
      time.advance(50);
    }
    expect(sentAt.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(sentAt[29]).toBe(2_000);
  });
});
