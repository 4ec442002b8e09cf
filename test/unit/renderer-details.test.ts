// The details pane's pure decisions: which row the keyboard has (lib/rows.ts), the
// primary action of an account (lib/status.ts), and the curl line's URL check (lib/copy.ts).
import { describe, expect, it } from 'vitest';
import { activeRowIndex } from '../../src/renderer/src/lib/rows.js';
import { curlUrlProblem } from '../../src/renderer/src/lib/copy.js';
import { primaryAction } from '../../src/renderer/src/lib/status.js';

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe('activeRowIndex', () => {
  it('follows the account wherever a re-sort puts it', () => {
    expect(activeRowIndex(rows('a', 'b', 'c'), { id: 'a', index: 0 })).toBe(0);
    expect(activeRowIndex(rows('b', 'c', 'a'), { id: 'a', index: 0 })).toBe(2);
  });

  it('when its account is gone, takes the row now at its old position: the next one, or the previous at the end', () => {
    expect(activeRowIndex(rows('a', 'c'), { id: 'b', index: 1 })).toBe(1);
    expect(activeRowIndex(rows('a', 'b'), { id: 'c', index: 2 })).toBe(1);
    expect(activeRowIndex([], { id: 'c', index: 2 })).toBe(0);
    expect(activeRowIndex(rows('a', 'b'), { index: 0 })).toBe(0);
  });
});

describe('primaryAction', () => {
  it('is Refresh now only where a refresh can work', () => {
    for (const status of ['active', 'refreshing', 'retrying', 'paused'] as const) expect(primaryAction({ status }, true)).toBe('refresh');
  });

  it('is Sign in for a refused or revoked refresh token where TokenDesk can sign in, else Edit', () => {
    expect(primaryAction({ status: 'reauth_required' }, true)).toBe('signIn');
    expect(primaryAction({ status: 'revoked' }, true)).toBe('signIn');
    expect(primaryAction({ status: 'reauth_required' }, false)).toBe('edit');
    expect(primaryAction({ status: 'revoked' }, false)).toBe('edit');
  });

  it('is Edit for settings the provider rejected', () => {
    expect(primaryAction({ status: 'config_error' }, true)).toBe('edit');
  });
});

describe('curlUrlProblem', () => {
  it('asks for a URL rather than aiming the line at a placeholder', () => {
    expect(curlUrlProblem('')).toMatch(/^Type the URL/);
    expect(curlUrlProblem('   ')).toMatch(/^Type the URL/);
  });

  it('refuses what is not an http(s) URL, in words', () => {
    expect(curlUrlProblem('api.example.com/v1')).toMatch(/is not a URL/);
    expect(curlUrlProblem('ftp://example.com/')).toMatch(/must start with https:\/\/ or http:\/\//);
  });

  it('takes an http(s) URL', () => {
    expect(curlUrlProblem(' https://api.example.com/v1/me ')).toBeUndefined();
    expect(curlUrlProblem('http://127.0.0.1:8080/x')).toBeUndefined();
  });
});
