import type { Channel } from '@nudge/contracts';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const FCM_API = 'https://fcm.googleapis.com';
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export const fcmSettingsSchema = z.object({
  serviceAccountEnv: z.string({ required_error: "must name the environment variable holding the service account's JSON key" }).min(1),
  projectId: z.string().min(1).optional(),
  defaultTitle: z.string().min(1).optional(),
  baseUrl: z.string().url().default(FCM_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** The fields of a Google service account JSON key that signing in needs. */
const serviceAccountSchema = z.object({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
  token_uri: z.string().url().default(GOOGLE_TOKEN_URI),
});

/** A service account, ready to sign its token requests. */
export interface ServiceAccount {
  clientEmail: string;
  privateKey: KeyObject;
  privateKeyId?: string;
  /** Where access tokens are asked for; also the JWT's audience. */
  tokenUri: string;
}

/** What the FCM adapter runs with: its settings, and the service account they name read from the environment. */
export interface FcmConfig {
  channel: Channel;
  serviceAccount: ServiceAccount;
  projectId: string;
  /** The notification title when the message has no subject; none when absent. */
  defaultTitle?: string;
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `providers.<channel>` for FCM; a bad setting or a missing or unreadable service account names the setting and the variable. */
export function fcmConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): FcmConfig {
  const { serviceAccountEnv, projectId, defaultTitle, baseUrl, timeoutMs } = parseProviderSettings(fcmSettingsSchema, settings, channel);
  const where = `providers.${channel}.serviceAccountEnv: environment variable ${serviceAccountEnv}`;
  const account = readServiceAccount(envCredential(context, channel, 'serviceAccountEnv', serviceAccountEnv), where);
  const project = projectId ?? account.projectId;
  if (!project) throw new Error(`providers.${channel}.projectId: required, as the service account names no project_id`);
  return {
    channel,
    serviceAccount: account.serviceAccount,
    projectId: project,
    ...(defaultTitle !== undefined && { defaultTitle }),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs,
  };
}

function readServiceAccount(json: string, where: string): { serviceAccount: ServiceAccount; projectId?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${where} does not hold JSON (it must hold the service account key's JSON text, not a path)`);
  }
  const parsed = serviceAccountSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where} is not a service account key: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  const { client_email, private_key, private_key_id, project_id, token_uri } = parsed.data;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(private_key);
  } catch (error) {
    throw new Error(`${where} has an unreadable private_key: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    serviceAccount: {
      clientEmail: client_email,
      privateKey,
      ...(private_key_id !== undefined && { privateKeyId: private_key_id }),
      tokenUri: token_uri,
    },
    ...(project_id !== undefined && { projectId: project_id }),
  };
}
