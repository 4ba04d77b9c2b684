/** The provider could not take the message now (timeout, 5xx, throttled): try again later. */
export class ProviderTransientError extends Error {
  readonly kind = 'transient' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ProviderTransientError';
  }
}

/** The provider will never take this message (bad number, blocked, rejected content): fail it. */
export class ProviderPermanentError extends Error {
  readonly kind = 'permanent' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ProviderPermanentError';
  }
}

export type ProviderError = ProviderTransientError | ProviderPermanentError;
