import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** One line for the console producer: a key, a value as the producer's users type it, and headers. */
export interface ConsoleRecord {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The Apache Kafka jars deploy/kafka-local fetches from Maven Central (Kafka 3.9: the tools live in kafka_2.13). */
const KAFKA_LIBS = path.join(REPO_ROOT, 'deploy/kafka-local/.cache/libs');
const CONSOLE_PRODUCER = 'kafka.tools.ConsoleProducer';
const KEY_SEPARATOR = '|';
/** The console producer's defaults for `parse.headers`: headers, a tab, then key and value. */
const HEADERS_SEPARATOR = '\t';
const HEADERS_DELIMITER = ',';
const HEADER_KEY_SEPARATOR = ':';
const TIMEOUT_MS = 60_000;

/**
 * Writes `records` to `topic` with Apache Kafka's own console producer (`kafka-console-producer.sh`
 * of the distribution: `kafka.tools.ConsoleProducer` on the jars of deploy/kafka-local), one JVM
 * for all of them — a JVM takes a second or two to start. Keys are parsed (`key.separator=|`),
 * and headers (`parse.headers=true`, `name:value,name:value<TAB>` before the key) when the records
 * have some (then all of them must). Resolves once the producer has exited 0, which it does after flushing every record.
 */
export async function produceWithConsoleProducer(brokers: string, topic: string, records: ConsoleRecord[]): Promise<void> {
  if (!hasKafkaJars()) {
    throw new Error(`no Apache Kafka jars in ${KAFKA_LIBS}: run \`npm run kafka -- start --detach\` once to fetch them`);
  }
  const withHeaders = records.some((record) => record.headers !== undefined);
  // With parse.headers every line must carry at least one header: the producer refuses an empty list.
  if (withHeaders && !records.every((record) => Object.keys(record.headers ?? {}).length > 0)) {
    throw new Error('the console producer parses headers on every line or on none: produce records without headers in another run');
  }
  const args = [
    '-Xmx128m',
    '-XX:TieredStopAtLevel=1',
    '-cp',
    path.join(KAFKA_LIBS, '*'),
    CONSOLE_PRODUCER,
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--property',
    'parse.key=true',
    '--property',
    `key.separator=${KEY_SEPARATOR}`,
    ...(withHeaders ? ['--property', 'parse.headers=true'] : []),
  ];
  const input = records.map((record) => lineOf(record, withHeaders)).join('\n') + '\n';
  const { code, output } = await runJava(args, input);
  if (code !== 0) throw new Error(`the console producer exited with ${code}:\n${output}`);
}

function hasKafkaJars(): boolean {
  return existsSync(KAFKA_LIBS) && readdirSync(KAFKA_LIBS).some((name) => name.startsWith('kafka_2.13-'));
}

function lineOf(record: ConsoleRecord, withHeaders: boolean): string {
  for (const [what, text] of [
    ['key', record.key],
    ['value', record.value],
  ] as const) {
    if (/[\r\n]/.test(text)) throw new Error(`a console producer line cannot hold a line break (${what} ${JSON.stringify(text)})`);
  }
  if (record.key.includes(KEY_SEPARATOR)) throw new Error(`a key cannot hold ${KEY_SEPARATOR}: ${record.key}`);
  const line = `${record.key}${KEY_SEPARATOR}${record.value}`;
  if (!withHeaders) return line;
  const headers = Object.entries(record.headers ?? {}).map(([name, value]) => {
    if (
      name.includes(HEADER_KEY_SEPARATOR) ||
      `${name}${value}`.includes(HEADERS_DELIMITER) ||
      `${name}${value}`.includes(HEADERS_SEPARATOR)
    ) {
      throw new Error(`header ${name}: ${value} holds one of the console producer's separators`);
    }
    return `${name}${HEADER_KEY_SEPARATOR}${value}`;
  });
  return `${headers.join(HEADERS_DELIMITER)}${HEADERS_SEPARATOR}${line}`;
}

function runJava(args: string[], input: string): Promise<{ code: number | null; output: string }> {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(input);
  });
}
