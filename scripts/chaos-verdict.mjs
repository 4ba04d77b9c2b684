// The verdict of `npm run chaos`: what the live stack did (its decision log, its messages, the
// fake provider's counts) against what `nudge simulate` says the same events should do. Pure:
// rows in, figures out.

/** The send id's parts as the provider marker carries them: `<campaign>:<trigger event>:<step>`. */
export const sendKey = (campaignId, triggerEventId, stepId) => `${campaignId}:${triggerEventId}:${stepId || 'main'}`;

const decisionKey = (userId, campaignId, triggerEventId, stepId, outcome) =>
  `${userId} ${sendKey(campaignId, triggerEventId, stepId)} ${outcome}`;

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Keys of `a` counted more often than in `b`, with how many more. */
function surplus(a, b) {
  const out = [];
  for (const [key, n] of a) if (n > (b.get(key) ?? 0)) out.push([key, n - (b.get(key) ?? 0)]);
  return out;
}

/** The decisions simulate expects (its --json output, `stepId` absent for one-message campaigns), as multiset keys. */
function expectedDecisionKeys(simulated) {
  return countBy(simulated, (d) => decisionKey(d.userId, d.campaignId, d.triggerEventId, d.stepId, d.outcome));
}

/** How many decisions the live log must hold at least: all simulate expects but its `scheduled` ones (see chaosVerdict). */
export const requiredDecisions = (simulated) => simulated.filter((d) => d.outcome !== 'scheduled').length;

/**
 * `simulated`: simulate's decisions; `decisions`: rows of the `decisions` table
 * (user_id, campaign_id, trigger_event_id, step_id, outcome); `messages`: rows of `messages`
 * (campaign_id, trigger_event_id, step_id, status, status_history); `providerSends`: the fake's
 * `{ "<send key>": calls }`. A send whose message has an `unknown` stamp counts as unknown;
 * otherwise one call is delivered, none lost, more duplicated.
 */
export function chaosVerdict({ simulated, decisions, messages, providerSends }) {
  const expected = expectedDecisionKeys(simulated);
  const live = countBy(decisions, (d) => decisionKey(d.user_id, d.campaign_id, d.trigger_event_id, d.step_id, d.outcome));
  // A `scheduled` decision is logged only when the send is still ahead as rules decides (none
  // when it is due at once), so a trigger decided late — rules down, its broker away — has none.
  // Simulate decides on time: its `scheduled` may be missing live, never the other way round.
  const missingDecisions = surplus(expected, live).filter(([key]) => !key.endsWith(' scheduled'));
  const extraDecisions = surplus(live, expected);

  const expectedSends = new Set(
    simulated.filter((d) => d.outcome === 'sent').map((d) => sendKey(d.campaignId, d.triggerEventId, d.stepId)),
  );
  const messageByKey = new Map(messages.map((m) => [sendKey(m.campaign_id, m.trigger_event_id, m.step_id), m]));
  const hasUnknownStamp = (m) => Array.isArray(m?.status_history) && m.status_history.some((stamp) => stamp?.status === 'unknown');

  const figures = { expected: expectedSends.size, delivered: 0, lost: 0, duplicated: 0, unknown: 0 };
  // How many provider calls the unknown ones really had: 0 (marked unknown without a call having
  // reached the provider), 1, or more (sent twice despite the mark).
  const unknownCalls = { none: 0, once: 0, more: 0 };
  const examples = { lost: [], duplicated: [], unknown: [], unexpected: [], stuck: [] };
  const note = (kind, key) => examples[kind].length < 5 && examples[kind].push(key);
  for (const key of expectedSends) {
    const message = messageByKey.get(key);
    const calls = providerSends[key] ?? 0;
    if (hasUnknownStamp(message)) {
      figures.unknown++;
      unknownCalls[calls === 0 ? 'none' : calls === 1 ? 'once' : 'more']++;
      note('unknown', `${key} (${calls} calls, ${message.status})`);
    } else if (calls === 1) figures.delivered++;
    else if (calls === 0) {
      figures.lost++;
      note('lost', `${key} (${message ? `message ${message.status}` : 'no message'})`);
    } else {
      figures.duplicated++;
      note('duplicated', `${key} (${calls} calls, ${message ? message.status : 'no message'})`);
    }
  }
  // Sends nobody expected: a provider call or a message for a send simulate did not decide.
  const unexpectedKeys = new Set([...Object.keys(providerSends), ...messageByKey.keys()].filter((key) => !expectedSends.has(key)));
  for (const key of unexpectedKeys) note('unexpected', key);
  const stuck = messages.filter((m) => m.status === 'queued');
  for (const m of stuck) note('stuck', sendKey(m.campaign_id, m.trigger_event_id, m.step_id));

  const passed =
    figures.lost === 0 &&
    figures.duplicated === 0 &&
    missingDecisions.length === 0 &&
    extraDecisions.length === 0 &&
    unexpectedKeys.size === 0 &&
    stuck.length === 0;
  return {
    ...figures,
    unexpected: unexpectedKeys.size,
    stuck: stuck.length,
    unknownCalls,
    decisions: { expected: simulated.length, live: decisions.length, missing: missingDecisions, extra: extraDecisions },
    examples,
    passed,
  };
}

/** The one summary line. */
export function summaryLine({ events, verdict, faults }) {
  const v = verdict;
  return `${events} events, ${v.expected} expected sends, ${v.delivered} delivered, ${v.lost} lost, ${v.duplicated} duplicated, ${v.unknown} unknown, faults: ${faults}`;
}

/** What went wrong besides the line's figures, one line each (empty when the run passed). */
export function verdictDetails(verdict) {
  const v = verdict;
  const lines = [];
  const sum = (list) => list.reduce((n, [, k]) => n + k, 0);
  const show = (list) =>
    list
      .slice(0, 5)
      .map(([key, n]) => (n > 1 ? `${key} ×${n}` : key))
      .join('; ');
  if (v.decisions.missing.length)
    lines.push(`decisions missing: ${sum(v.decisions.missing)} (of ${v.decisions.expected} expected), e.g. ${show(v.decisions.missing)}`);
  if (v.decisions.extra.length)
    lines.push(`decisions not expected (or more than once): ${sum(v.decisions.extra)}, e.g. ${show(v.decisions.extra)}`);
  if (v.stuck) lines.push(`messages stuck queued: ${v.stuck}, e.g. ${v.examples.stuck.join('; ')}`);
  if (v.unexpected)
    lines.push(`sends nobody expected (a message or a provider call): ${v.unexpected}, e.g. ${v.examples.unexpected.join('; ')}`);
  if (v.lost) lines.push(`lost, e.g. ${v.examples.lost.join('; ')}`);
  if (v.duplicated) lines.push(`duplicated, e.g. ${v.examples.duplicated.join('; ')}`);
  if (v.unknown) {
    const { none, once, more } = v.unknownCalls;
    lines.push(
      `unknown (an unknown stamp in status_history): ${v.unknown}, of which the provider took ${none} never, ${once} once, ${more} more than once; e.g. ${v.examples.unknown.join('; ')}`,
    );
  }
  return lines;
}
