import { consentProofSchema, idSchema, type ConsentProof } from '@nudge/contracts';
import { z } from 'zod';
import { parseInput, requireJsonObject } from '../common/input-validation';

/** The body of `POST /v1/users/{userId}/aliases`: the anonymous id to merge into the user, and the proof of the request. */
export const aliasRequestSchema = z.object({ previousId: idSchema, consentProof: consentProofSchema.optional() }).strict();

/** The body of `POST /v1/users/{userId}/aliases`, or a 400 naming each bad or unknown field. */
export function aliasRequestOf(body: unknown): { previousId: string; proof: ConsentProof } {
  const { previousId, consentProof } = parseInput(aliasRequestSchema, requireJsonObject(body), 'alias');
  return { previousId, proof: consentProof ?? {} };
}
