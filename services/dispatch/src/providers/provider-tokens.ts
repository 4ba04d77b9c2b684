/** Injection token of every provider dispatch can build, by name (`PROVIDER_FACTORIES`; tests add fakes). */
export const KNOWN_PROVIDERS = Symbol('KNOWN_PROVIDERS');

/** Injection token of the ProviderContext providers are built with (env, public URL, the inbox). */
export const PROVIDER_CONTEXT = Symbol('PROVIDER_CONTEXT');
