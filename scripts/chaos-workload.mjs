// What `npm run chaos` sends: the campaigns and settings (one config dir, read by rules and by
// `nudge simulate` alike), the users, and the events, all drawn from --seed. Every outcome is
// chosen to be decided the same way on the live stack, whatever faults delay it, and on
// simulate's virtual clock: no exceptions or waitFor races, one journey run per user, a time
// window that is open (or closed) for each recipient for the whole run.
import fs from 'node:fs';
import path from 'node:path';

/** A small, fast, seedable PRNG (mulberry32): the same seed draws the same run. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

/** The provider's marker in a body: the send id's parts, so the fake provider counts per send. */
const marker = (campaignId, stepId) => `[chaos ${campaignId}:{{ event.eventId }}:${stepId}]`;

export const TWILIO_SID_ENV = 'NUDGE_SECRET_CHAOS_TWILIO_SID';
export const TWILIO_TOKEN_ENV = 'NUDGE_SECRET_CHAOS_TWILIO_TOKEN';

/** Zones of the two halves of the users: the window is open all run long in the first, closed in the second. */
export const OPEN_ZONE = 'Etc/UTC';
export const CLOSED_ZONE = 'Etc/GMT-12'; // UTC+12, no DST

/**
 * `HH:MM` bounds of an 8-hour window that opens an hour before `start` (UTC): open for a
 * recipient on UTC for the next 7 hours, closed for one on UTC+12 (it is 11–19 hours past
 * the opening there) for the next 4. A run must end within 4 hours; main() checks.
 */
export function windowAround(start) {
  const hour = (h) => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:00`;
  const opens = start.getUTCHours() - 1;
  return { start: hour(opens), end: hour(opens + 8) };
}
export const WINDOW_RUN_LIMIT_MS = 4 * 3600_000;

/** The campaigns: one of each kind the chaos run covers, all on sms through the Twilio fake. */
export function chaosCampaigns({ delay, journeyWait, window }) {
  const base = (id, event) => ({ id, name: `chaos ${id}`, category: 'marketing', trigger: { event } });
  const sms = (campaignId, stepId, text) => ({ channel: 'sms', body: `${text} ${marker(campaignId, stepId)}` });
  return [
    { ...base('chaos-now', 'chaos_view'), delay: 'PT0S', message: sms('chaos-now', 'main', 'Seen something you like?') },
    { ...base('chaos-later', 'chaos_cart'), delay, message: sms('chaos-later', 'main', 'Your cart is waiting') },
    {
      ...base('chaos-capped', 'chaos_promo'),
      frequencyCaps: [{ max: 1, per: 'P1D' }],
      message: sms('chaos-capped', 'main', 'One promo a day'),
    },
    {
      ...base('chaos-window', 'chaos_visit'),
      timeWindow: { start: window.start, end: window.end, timezone: 'recipient', outside: 'drop' },
      message: sms('chaos-window', 'main', 'Thanks for visiting'),
    },
    {
      ...base('chaos-journey', 'chaos_signup'),
      steps: [
        { id: 'hello', type: 'message', message: sms('chaos-journey', 'hello', 'Welcome') },
        { id: 'pause', type: 'wait', duration: journeyWait },
        {
          id: 'route',
          type: 'branch',
          branches: [{ when: { fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }, next: 'gold' }],
          default: 'basic',
        },
        { id: 'basic', type: 'message', message: sms('chaos-journey', 'basic', 'Here is what is new'), next: 'done' },
        { id: 'gold', type: 'message', message: sms('chaos-journey', 'gold', 'Gold perks inside') },
        { id: 'done', type: 'exit' },
      ],
    },
  ];
}

/** settings.yaml (as JSON, which is YAML): sms through Twilio at the fake, short timeouts, no global caps. */
export function chaosSettings({ providerUrl }) {
  return {
    defaultTimezone: 'UTC',
    frequencyCaps: [],
    providers: {
      sms: {
        provider: 'twilio',
        accountSidEnv: TWILIO_SID_ENV,
        authTokenEnv: TWILIO_TOKEN_ENV,
        from: '+15005550006',
        baseUrl: providerUrl,
        timeoutMs: 2_000,
      },
    },
  };
}

/** Writes the config dir rules runs with and simulate reads: campaigns/*.json and settings.yaml. */
export function writeConfigDir(dir, campaigns, settings) {
  fs.mkdirSync(path.join(dir, 'campaigns'), { recursive: true });
  for (const campaign of campaigns) fs.writeFileSync(path.join(dir, 'campaigns', `${campaign.id}.json`), JSON.stringify(campaign, null, 2));
  fs.writeFileSync(path.join(dir, 'settings.yaml'), JSON.stringify(settings, null, 2));
}

export const userId = (i) => `chaos-u${i}`;

/** The PUT /v1/users body of user `i`: a valid mobile number with consent, a zone, a tier. */
export function chaosProfile(i, rnd) {
  return {
    attributes: { tier: rnd.next() < 0.3 ? 'gold' : 'basic' },
    timezone: i % 2 === 0 ? OPEN_ZONE : CLOSED_ZONE,
    channels: { sms: { address: `+346${String(10_000_000 + i).padStart(8, '0')}`, consent: { marketing: true, transactional: true } } },
  };
}

const MIX = [
  ['chaos_view', 0.32],
  ['chaos_cart', 0.22],
  ['chaos_promo', 0.18],
  ['chaos_visit', 0.14],
  ['chaos_signup', 0.06],
  ['chaos_noise', 0.08], // matches no campaign: decided by nothing, sent nothing
];

/**
 * `events` events (without timestamps: the driver stamps each when it first posts it) over
 * `users` users. Event 0 is a `chaos_view` of user 0: the canary that shows the provider is
 * in force before the load. A user signs up at most once (one journey run each).
 */
export function chaosEvents({ events, users, rnd }) {
  const signedUp = new Set();
  const out = [];
  for (let n = 0; n < events; n++) {
    const user = n === 0 ? 0 : rnd.int(users);
    let name = 'chaos_view';
    if (n > 0) {
      let roll = rnd.next();
      name = MIX.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? 'chaos_view';
    }
    if (name === 'chaos_signup') {
      if (signedUp.has(user)) name = 'chaos_view';
      else signedUp.add(user);
    }
    out.push({ eventId: `chaos-e${n}`, userId: userId(user), user, name, properties: { n } });
  }
  return out;
}
