// Flags of the repo's scripts that are not tests (`npm run bench`, `npm run fuzz`).

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
