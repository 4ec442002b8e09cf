// The Node.js range package.json's `engines` states must be one every pinned tool supports —
// except the packages the README names as declaring more while working on Node 20 (their
// installer is exercised on this Node by test/integration/electron-install.test.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const require = createRequire(path.join(root, 'package.json'));
// semver (npm's own range logic) is installed as a dependency of the toolchain; it ships no types.
const semver = require('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };
const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** Packages that declare a higher Node than `engines` allows and are known to work on it (named in the README). */
const DECLARE_MORE = ['electron'];

function enginesOf(name: string): string | undefined {
  const file = path.join(root, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { engines?: { node?: string } }).engines?.node;
}

describe('Node.js version', () => {
  it('engines states the range Vite and electron-vite support, and this Node is in it', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
    expect(README).toContain(`\`engines\`: \`${pkg.engines.node}\``);
  });

  it('every pinned package supports the lowest Node of that range, but those the README names', () => {
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    const refusing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
      .filter((name) => {
        const range = enginesOf(name);
        return range !== undefined && !semver.satisfies(lowest, range);
      })
      .sort();
    expect(refusing).toEqual(DECLARE_MORE);
    for (const name of DECLARE_MORE) expect(README).toContain(`\`${name}\` 45`);
  });
});
