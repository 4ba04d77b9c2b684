/**
 * Test doubles for the channel adapters: a fake HTTP server per provider API (each checks
 * credentials and payloads as the real one would, and records what it received), builders of
 * signed provider callbacks, and an outbound-message builder. Imported as
 * `@nudge/channels/testing`; the production build (`tsconfig.json` of this lib) excludes this
 * folder, so none of it ships in `dist`.
 */
export * from './fake-provider-server';
export * from './outbound-messages';
export * from './fake-fcm';
export * from './fake-messenger-send-api';
export * from './fake-push-service';
export * from './fake-smsapi';
export * from './fake-telegram-bot-api';
export * from './fake-twilio-api';
export * from './fake-viber-bot-api';
export * from './fake-vk-api';
export * from './fake-whatsapp-cloud-api';
