// Flags of the repo's scripts that are not tests (`npm run bench`, `npm run fuzz`, `npm run chaos`), and how they start and end.

/**
 * Reads `--name value` and `--name=value`: each flag of `flags` (`{ value, min = 1, max, help }`)
 * takes an integer within min..max; `readers` maps any other flag name to a function reading its
 * raw value. `--help` prints `usage()` and exits; anything else unexpected throws with the usage.
 */
export function readFlags(argv, flags, usage, readers = {}) {
  const values = Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, flag.value]));
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n\n${usage()}`);
    arg = arg.slice(2);
    let value;
    const eq = arg.indexOf('=');
    if (eq >= 0) [arg, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    else value = argv[++i];
    if (value === undefined) throw new Error(`--${arg} needs a value`);
    if (readers[arg]) {
      values[arg] = readers[arg](value);
      continue;
    }
    const flag = flags[arg];
    if (!flag) throw new Error(`unknown flag --${arg}\n\n${usage()}`);
    const n = Number(value);
    const min = flag.min ?? 1;
    if (!Number.isInteger(n) || n < min || n > flag.max)
      throw new Error(`--${arg} must be an integer in ${min}..${flag.max} (got ${value})`);
    values[arg] = n;
  }
  return values;
}

/**
 * Runs a script: its flags read by `parseFlags` (a bad one prints `[name] …` and exits 2), then
 * `main`, exiting 0 when it answers true and 1 otherwise.
 */
export function runScript(name, parseFlags, main) {
  let parsed;
  try {
    parsed = parseFlags(process.argv.slice(2));
  } catch (error) {
    console.error(`[${name}] ${error.message}`);
    process.exit(2);
  }
  main(parsed).then((passed) => process.exit(passed ? 0 : 1));
}

/**
 * What a script does when its run throws: Ctrl-C (the stack was interrupted) cleans up and exits
 * 130; anything else is printed as `[name] failed: …`, the stack cleaned up with the services'
 * output shown, and the run counts as failed.
 */
export async function failedRun(name, stack, error) {
  if (stack.interrupted) {
    await stack.cleanup();
    process.exit(130);
  }
  console.error(`[${name}] failed: ${error.stack ?? error.message}`);
  await stack.cleanup({ showServiceOutput: true });
  return false;
}
