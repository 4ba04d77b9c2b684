import type { ProviderFactory } from '../provider-registry';
import { SANDBOX_PROVIDER, SandboxProvider } from '../sandbox/sandbox.provider';

/**
 * Every provider Nudge can send through, by the name settings.yaml gives it
 * (`providers.<channel>.provider`). One line per adapter.
 */
export const PROVIDER_FACTORIES: Readonly<Record<string, ProviderFactory>> = {
  [SANDBOX_PROVIDER]: () => new SandboxProvider(),
  // adapters: keep one entry per line, alphabetical below this comment
};
