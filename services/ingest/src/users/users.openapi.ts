import { CATEGORIES, CHANNELS, MAX_CONSENT_HISTORY_PAGE_SIZE } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { aliasRequestSchema } from './alias-requests';
import { historyQuerySchema, profileRequestSchema, SOURCE_HEADER, userIdSchema } from './profile-requests';

const userParams = z.object({ userId: userIdSchema });
const consentValue = z.union([z.boolean(), z.literal('pending')]);
const consentRecord = z.object({ value: consentValue, at: z.string(), source: z.string() });

/** What `GET`/`PUT /v1/users/{userId}` answer: the stored profile (`Profile` in @nudge/contracts). */
const profileSchema = z.object({
  userId: z.string(),
  attributes: z.record(z.unknown()),
  timezone: z.string().optional(),
  country: z.string().optional(),
  locale: z.string().optional(),
  channels: z.record(
    z.enum(CHANNELS),
    z.object({
      address: z.string().optional(),
      consent: z.object({ marketing: consentValue.optional(), transactional: z.boolean().optional() }),
      consentLog: z.object({ marketing: consentRecord.optional(), transactional: consentRecord.optional() }).optional(),
    }),
  ),
  preferences: z.object({ topics: z.record(z.boolean()), maxPerWeek: z.number().int().optional() }),
  version: z.number().int(),
  updatedAt: z.string(),
});

const proofFields = {
  at: z.string(),
  source: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  textVersion: z.string().nullable(),
};
const pageFields = {
  userId: z.string(),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last one.'),
};

const consentHistorySchema = z.object({
  ...pageFields,
  items: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      category: z.enum(CATEGORIES),
      value: consentValue,
      ...proofFields,
      evidence: z.string().optional(),
    }),
  ),
});

const preferenceHistorySchema = z.object({
  ...pageFields,
  items: z.array(
    z.union([
      z.object({ preference: z.literal('topic'), topic: z.string(), subscribed: z.boolean(), ...proofFields }),
      z.object({ preference: z.literal('maxPerWeek'), maxPerWeek: z.number().int().nullable(), ...proofFields }),
    ]),
  ),
});

const ana = {
  userId: 'u_123',
  attributes: { plan: 'pro', firstName: 'Ana' },
  timezone: 'Europe/Madrid',
  country: 'ES',
  locale: 'es-ES',
  channels: {
    email: {
      address: 'ana@example.com',
      consent: { marketing: true, transactional: true },
      consentLog: { marketing: { value: true, at: '2026-03-01T10:15:00.000Z', source: 'signup_form' } },
    },
  },
  preferences: { topics: { newsletter: true }, maxPerWeek: 3 },
  version: 4,
  updatedAt: '2026-03-01T10:15:00.000Z',
};

const sourceHeader = z.object({
  [SOURCE_HEADER]: z.string().max(128).optional().describe('Where the consent changes came from (default `api`), kept as their proof.'),
});

const historyQuery = historyQuerySchema.describe(`limit: 1–${MAX_CONSENT_HISTORY_PAGE_SIZE}, default 100; cursor: a page's nextCursor`);
const noProfile = { 404: [{ code: 'not_found', description: 'No profile for this userId.' }] };

/** Profiles, consent and aliases (SPEC §4, §9), described with the schemas `profile-requests.ts` and `alias-requests.ts` validate with. */
export const USERS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/users/{userId}',
    tag: 'Users',
    summary: "Read a user's profile",
    request: { params: userParams },
    responses: { 200: { description: 'The stored profile.', content: { schema: profileSchema, examples: { ana } } } },
    errors: noProfile,
  },
  {
    method: 'put',
    path: '/v1/users/{userId}',
    tag: 'Users',
    summary: 'Create or merge into a profile (consent included)',
    description:
      'Merged into the stored profile: fields given replace the stored ones, `null` clears one. Consent changes are recorded in the consent history with `consentProof` (what it leaves out is taken from X-Forwarded-For and User-Agent) and the `X-Nudge-Source` header.',
    request: {
      params: userParams,
      headers: sourceHeader,
      body: {
        schema: profileRequestSchema,
        examples: {
          optIn: {
            attributes: { plan: 'pro', firstName: 'Ana' },
            timezone: 'Europe/Madrid',
            country: 'ES',
            locale: 'es-ES',
            channels: { email: { address: 'ana@example.com', consent: { marketing: true } } },
            preferences: { topics: { newsletter: true }, maxPerWeek: 3 },
            consentProof: { ip: '203.0.113.7', textVersion: 'signup-2026-01' },
          },
          doubleOptIn: { channels: { email: { address: 'ana@example.com', consent: { marketing: 'pending' } } } },
        },
      },
    },
    responses: { 200: { description: 'The profile after the merge.', content: { schema: profileSchema, examples: { ana } } } },
    errors: { 503: [{ code: 'unavailable', description: 'The change could not be published; nothing was changed.' }] },
  },
  {
    method: 'delete',
    path: '/v1/users/{userId}',
    tag: 'Users',
    summary: 'Erase a user (GDPR): profile, consent, decisions, messages',
    description: '204 whether or not the user was known: erasure is idempotent. Admin key only.',
    request: { params: userParams },
    responses: { 204: { description: 'Erased (or never known).' } },
  },
  {
    method: 'get',
    path: '/v1/users/{userId}/consent',
    tag: 'Users',
    summary: 'Consent history, newest first, with its proof',
    request: { params: userParams, query: historyQuery },
    responses: {
      200: {
        description: 'One page of consent changes.',
        content: {
          schema: consentHistorySchema,
          examples: {
            page: {
              userId: 'u_123',
              items: [
                {
                  channel: 'email',
                  category: 'marketing',
                  value: true,
                  at: '2026-03-01T10:15:00.000Z',
                  source: 'signup_form',
                  ip: '203.0.113.7',
                  userAgent: 'Mozilla/5.0',
                  textVersion: 'signup-2026-01',
                },
              ],
              nextCursor: null,
            },
          },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/users/{userId}/preferences/history',
    tag: 'Users',
    summary: 'Topic and weekly-maximum changes, newest first, with their proof',
    request: { params: userParams, query: historyQuery },
    responses: {
      200: {
        description: 'One page of preference changes.',
        content: {
          schema: preferenceHistorySchema,
          examples: {
            page: {
              userId: 'u_123',
              items: [
                {
                  preference: 'topic',
                  topic: 'newsletter',
                  subscribed: false,
                  at: '2026-03-02T08:00:00.000Z',
                  source: 'preference_centre',
                  ip: null,
                  userAgent: null,
                  textVersion: null,
                },
              ],
              nextCursor: '41',
            },
          },
        },
      },
    },
  },
  {
    method: 'post',
    path: '/v1/users/{userId}/aliases',
    tag: 'Users',
    summary: 'Merge an anonymous id into the user',
    description:
      "The anonymous id's profile, consent and pending journeys become the user's. 204, also when the id was merged into this user before. Admin key only.",
    request: {
      params: userParams,
      body: { schema: aliasRequestSchema, examples: { signup: { previousId: 'anon_5f2c', consentProof: { ip: '203.0.113.7' } } } },
    },
    responses: { 204: { description: 'Merged (or merged before).' } },
    errors: {
      400: [
        {
          code: 'validation_failed',
          description: 'An id merged into itself, or a user that is itself merged into another.',
          path: 'previousId',
        },
      ],
      409: [{ code: 'conflict', description: 'The anonymous id was merged into another user.', path: 'previousId' }],
    },
  },
];
