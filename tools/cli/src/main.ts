import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyCommand } from './commands/apply';
import { parseCount } from './commands/dead-letters';
import { dlqListCommand, dlqReplayCommand, type DlqOptions } from './commands/dlq';
import { simulateCommand } from './commands/simulate';
import { validateCommand } from './commands/validate';

/** Where the CLI writes: results to `out`, progress and errors to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const STDIO: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the `nudge` CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliOutput = STDIO): Promise<number> {
  const out = io.out;
  const progress = io.err;
  let code = 0;
  const program = new Command()
    .name('nudge')
    .description('Check, apply and simulate Nudge campaigns as code')
    .version(cliVersion(), '-V, --version', "print the CLI's version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .showHelpAfterError();

  program
    .command('validate')
    .argument('<dir>', 'config directory (settings.yaml and campaigns/)')
    .description('check campaign and settings files offline; exit 1 on any error')
    .action(async (dir: string) => {
      code = await validateCommand(dir, out);
    });

  program
    .command('apply')
    .argument('<dir>', 'config directory')
    .description('push campaigns and settings to a running rules service, showing what changes')
    .option('--url <url>', 'rules base URL', process.env.NUDGE_RULES_URL ?? 'http://localhost:3001')
    // No default value here: commander prints defaults in --help, and this one is a secret.
    .option('--api-key <key>', 'API key (default: NUDGE_API_KEY)')
    .option('--dry-run', 'show the changes without applying them', false)
    .action(async (dir: string, options: { url: string; apiKey?: string; dryRun: boolean }) => {
      const apiKey = options.apiKey ?? process.env.NUDGE_API_KEY;
      code = await applyCommand(dir, { ...options, ...(apiKey === undefined ? {} : { apiKey }) }, out);
    });

  program
    .command('simulate')
    .argument('<dir>', 'config directory')
    .description('replay events through the decision logic on virtual time and print what would be sent')
    .requiredOption('--events <file>', 'events, one JSON object per line (ndjson), each with a timestamp')
    .option('--profiles <file>', 'profiles: a JSON array or ndjson of { userId, ...profile }')
    .option('--suppressions <file>', 'address opt-outs (STOPs): a JSON array or ndjson of { channel, address }')
    .option('--json', 'machine-readable output', false)
    .action(async (dir: string, options: { events: string; profiles?: string; suppressions?: string; json: boolean }) => {
      code = await simulateCommand(dir, options, out, progress);
    });

  const dlq = program
    .command('dlq')
    .description("show and replay a topic's dead letters (<topic>.dlq): records a service could not process");
  const dlqOptions = (command: Command) =>
    command
      .argument('<topic>', 'events, dispatch, profiles, deliveries, or a topic name (nudge.events.v1, with or without .dlq)')
      .option('--brokers <list>', 'Kafka brokers, comma-separated (default: KAFKA_BROKERS)', process.env.KAFKA_BROKERS ?? 'localhost:9092')
      .option('--prefix <prefix>', 'topic prefix of the stack (default: NUDGE_TOPIC_PREFIX)', process.env.NUDGE_TOPIC_PREFIX ?? '')
      .option('--from-offset <n>', 'first dead-letter offset to read', (text) => parseCount('--from-offset', text))
      .option('--limit <n>', 'most dead letters to read', (text) => parseCount('--limit', text), 100);
  dlqOptions(dlq.command('list'))
    .description('print dead letters: offset, key, source, error and a value excerpt')
    .action(async (topic: string, options: DlqOptions) => {
      code = await dlqListCommand(topic, options, out);
    });
  dlqOptions(dlq.command('replay'))
    .description('publish dead letters again to the topic they came from (after a fix); remembers how far it got')
    .option('--dry-run', 'show what would be replayed', false)
    .action(async (topic: string, options: DlqOptions) => {
      code = await dlqReplayCommand(topic, options, out);
    });

  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

/** The version in the CLI's package.json (next to `src/` and `dist/` alike). */
function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
