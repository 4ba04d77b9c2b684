import { main } from './main';

describe('nudge --help', () => {
  const saved = process.env.NUDGE_API_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.NUDGE_API_KEY;
    else process.env.NUDGE_API_KEY = saved;
  });

  it('never prints the API key it would use (NUDGE_API_KEY), only where it comes from', async () => {
    process.env.NUDGE_API_KEY = 'nk_secret_marker_0123456789';
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };

    await main(['node', 'nudge', 'apply', '--help'], io);

    const help = lines.join('\n');
    expect(help).toContain('--api-key <key>');
    expect(help).toContain('(default: NUDGE_API_KEY)');
    expect(help).not.toContain('nk_secret_marker');
  });
});

describe('nudge --version', () => {
  it("prints the CLI's version and exits 0", async () => {
    const lines: string[] = [];
    const code = await main(['node', 'nudge', '--version'], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(code).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  });
});
