// The pure parts of `tokendesk exec` and `token --format/--out`: --env parsing, the child's
// environment, which signals are forwarded, the requester description, the formats.
// test/integration/cli-exec.test.ts runs the real processes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { childEnvironment, parseEnvBinding, type EnvBinding } from '../../src/cli/commands/exec.js';
import { renderToken } from '../../src/cli/token-render.js';
import { describeRequester, execRequester } from '../../src/cli/requester.js';
import { FORWARDED_SIGNALS, shouldForward } from '../../src/cli/run-child.js';
import type { CallOutput } from '../../src/shared/contract.js';

const parseAll = (...values: string[]) => values.reduce<EnvBinding[]>((acc, v) => parseEnvBinding(v, acc), []);

describe('--env VAR=ACCOUNT', () => {
  it('takes a portable variable name and an account name or id (which may itself contain =)', () => {
    expect(parseAll('GITHUB_TOKEN=github-ci', '_x1=Team A', 'K=a=b')).toEqual([
      { variable: 'GITHUB_TOKEN', account: 'github-ci' },
      { variable: '_x1', account: 'Team A' },
      { variable: 'K', account: 'a=b' },
    ]);
  });

  it.each([
    ['1X=acct', /"1X" is not a variable name/],
    ['A-B=acct', /"A-B" is not a variable name/],
    ['=acct', /"" is not a variable name/],
    ['A B=acct', /"A B" is not a variable name/],
    ['ACCT', /expected VAR=ACCOUNT/],
    ['A=  ', /no account after A=/],
  ])('refuses %s', (value, message) => {
    expect(() => parseEnvBinding(value, [])).toThrow(InvalidArgumentError);
    expect(() => parseEnvBinding(value, [])).toThrow(message);
  });

  it('refuses a variable given twice (even for the same account)', () => {
    expect(() => parseAll('A=x', 'B=y', 'A=x')).toThrow('A is given twice');
    expect(parseAll('A=x', 'a=x')).toHaveLength(2); // names are case-sensitive outside Windows
  });
});

describe("the command's environment", () => {
  const token = (accessToken: string) => ({ accessToken }) as CallOutput<'accounts.token'>;

  it('is tokendesk’s own, without the vault passphrase, with each token in its variable (replacing one already set)', () => {
    const env = childEnvironment(
      { PATH: '/bin', HOME: '/home/u', TOKENDESK_PASSPHRASE: 'p', TOKENDESK_NEW_PASSPHRASE: 'q', TOKENDESK_HOME: '/d', API_TOKEN: 'old' },
      [
        { variable: 'API_TOKEN', account: 'api' },
        { variable: 'ALSO_API', account: 'api' },
        { variable: 'GH', account: 'gh' },
      ],
      new Map([
        ['api', token('t-api')],
        ['gh', token('t-gh')],
      ]),
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/home/u', TOKENDESK_HOME: '/d', API_TOKEN: 't-api', ALSO_API: 't-api', GH: 't-gh' });
  });
});

describe('signal forwarding', () => {
  it('forwards everything when tokendesk is not in a terminal’s foreground group', () => {
    for (const signal of FORWARDED_SIGNALS) expect(shouldForward(signal, 'linux', () => false), signal).toBe(true);
  });

  it('leaves Ctrl-C, Ctrl-\\ and hangup to the terminal in its foreground group (the command got them already), forwards SIGTERM', () => {
    const forwarded = FORWARDED_SIGNALS.filter((s) => shouldForward(s, 'darwin', () => true));
    expect(forwarded).toEqual(['SIGTERM']);
  });

  it('on Windows forwards only SIGTERM: the console delivers Ctrl-C and close to every process on it', () => {
    expect(FORWARDED_SIGNALS.filter((s) => shouldForward(s, 'win32', () => false))).toEqual(['SIGTERM']);
  });

  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('knows when it runs in the foreground of a real terminal, and when it has none', () => {
    const module = path.resolve('src/cli/run-child.ts');
    const probe = `const m = await import(${JSON.stringify(module)}); console.log('foreground=' + m.inTerminalForeground());`;
    const args = ['--import', 'tsx', '--input-type=module', '-e', probe];
    // setsid(1): a new session, so no controlling terminal even when the tests run in one.
    const noTerminal = spawnSync('setsid', ['-w', process.execPath, ...args], { encoding: 'utf8' });
    expect(noTerminal.stdout.trim()).toBe('foreground=false');
    const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const onTerminal = spawnSync('script', ['-qfec', `exec ${quoted}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, SHELL: '/bin/sh' }, input: '' });
    expect(onTerminal.stdout).toContain('foreground=true');
  }, 30_000);
});

describe('the requester written into a refresh row', () => {
  it('names the asking command (never its arguments), tokendesk’s pid and its parent', () => {
    expect(execRequester('/usr/bin/curl')).toMatch(new RegExp(`^exec: curl \\(tokendesk pid ${process.pid}, parent (\\S+ )?pid ${process.ppid}\\)$`));
    expect(describeRequester('exec: evil\u001b[2J\u202ename', 10, 1)).toMatch(/^exec: evil\?\[2J\?name \(tokendesk pid 10, parent (\S+ )?pid 1\)$/);
    expect(describeRequester(`exec: ${'x'.repeat(300)}`).length).toBeLessThanOrEqual(200);
  });
});

describe('token formats', () => {
  const result = (accessToken: string) =>
    ({ accessToken, tokenType: 'Bearer', account: { providerId: 'oauth2', settings: {}, tokenType: 'Bearer' } }) as unknown as CallOutput<'accounts.token'>;
  const opts = { variable: 'API_TOKEN', toFile: false };

  it('env: one VAR=value line, quoted for sh only when the token has characters outside RFC 6750’s b64token', () => {
    expect(renderToken('env', result('eyJ.a-b_c~d+e/f=='), opts)).toBe('API_TOKEN=eyJ.a-b_c~d+e/f==\n');
    expect(renderToken('env', result("a b'$c"), opts)).toBe(`API_TOKEN='a b'\\''$c'\n`);
  });

  it('a bare token in a file is exactly the token; every other output ends with a newline', () => {
    expect(renderToken('token', result('abc'), { ...opts, toFile: true })).toBe('abc');
    expect(renderToken('token', result('abc'), opts)).toBe('abc\n');
    expect(renderToken('header', result('abc'), { ...opts, toFile: true })).toBe('Authorization: Bearer abc\n');
    expect(JSON.parse(renderToken('json', result('abc'), opts))).toMatchObject({ accessToken: 'abc', tokenType: 'Bearer' });
  });
});
