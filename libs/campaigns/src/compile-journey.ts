import type { CampaignDocument } from './campaign.schema';
import type { CompiledCampaign, CompiledJourney, CompiledStep } from './compiled-campaign';
import { compileBranchConditions } from './trigger-conditions';

/**
 * Compiles `steps`. A message step carries a one-message view of the campaign (`send`): the
 * same id, category, topic, window, caps and holdout with that step's message, so the send-time
 * decision and the send request are the ones every other message goes through.
 */
export function compileJourney(
  document: CampaignDocument,
  version: number,
  compileOneMessage: (document: CampaignDocument, version: number) => CompiledCampaign,
): CompiledJourney | null {
  const steps = document.steps;
  if (!steps) return null;
  const following = (index: number) => steps[index + 1]?.id ?? null;
  const compiled: CompiledStep[] = steps.map((step, index): CompiledStep => {
    switch (step.type) {
      case 'wait':
        return {
          type: 'wait',
          id: step.id,
          next: step.next ?? following(index),
          duration: step.duration,
          until: step.until,
          timezone: step.timezone,
        };
      case 'message': {
        const { steps: _steps, concurrentRuns: _runs, ...campaign } = document;
        const send = compileOneMessage({ ...campaign, message: step.message, delay: 'PT0S' }, version);
        return { type: 'message', id: step.id, next: step.next ?? following(index), message: step.message, send };
      }
      case 'branch':
        return {
          type: 'branch',
          id: step.id,
          branches: step.branches.map((branch) => ({ next: branch.next, matches: compileBranchConditions(branch.when) })),
          default: step.default ?? following(index),
        };
      case 'waitFor':
        return {
          type: 'waitFor',
          id: step.id,
          event: step.event,
          match: step.match ?? {},
          timeout: step.timeout,
          next: step.next ?? following(index),
          onTimeout: step.onTimeout ?? following(index),
        };
      case 'exit':
        return { type: 'exit', id: step.id };
    }
  });
  const byId = new Map(compiled.map((step) => [step.id, step]));
  return {
    firstStepId: compiled[0]?.id as string,
    steps: compiled,
    step: (id) => byId.get(id),
    awaitedEvents: new Set(compiled.flatMap((step) => (step.type === 'waitFor' ? [step.event] : []))),
  };
}
