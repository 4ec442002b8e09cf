// The electron-builder configuration, checked without packaging anything (that would
// download Electron): loaded and validated by electron-builder's own config loader and
// schema, then held to docs/ARCHITECTURE.md "Packaging" — targets, icons, fuses flipped for release and left
// at Electron's defaults in the test build that Playwright drives.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/main/app/app-id.js';

const root = path.resolve(import.meta.dirname, '../..');
// electron-builder's own loader, resolved through electron-builder (it is its dependency).
const fromBuilder = createRequire(createRequire(path.join(root, 'package.json')).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = createRequire(fromBuilder.resolve('app-builder-lib'))('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function load(file: string) {
  const config = await getConfig(root, file, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

const RELEASE_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

describe('packaging', () => {
  it('release: AppImage + deb, dmg, nsis, icons from build/, the app from out/ in an asar', async () => {
    const c = await load('electron-builder.yml');
    expect(c['appId']).toBe('dev.tokendesk.desktop');
    expect(c['productName']).toBe('TokenDesk');
    expect(c['directories']).toEqual({ output: 'dist', buildResources: 'build' });
    expect(c['files']).toEqual([{ filter: ['out/**', 'package.json', '!**/*.map'] }]); // normalised by the loader
    expect(c['asar']).toBe(true);
    expect(c['asarUnpack']).toContain('**/*.node');
    expect(c['linux'].target).toEqual(['AppImage', 'deb']);
    expect(c['mac'].target).toBe('dmg');
    expect(c['win'].target).toBe('nsis');
    for (const icon of [c['linux'].icon, c['mac'].icon, c['win'].icon]) expect(fs.existsSync(path.join(root, icon)), icon).toBe(true);
    expect(fs.existsSync(path.join(root, 'build/icons/512x512.png'))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('release: the fuses are flipped, and an unsigned Apple-Silicon build keeps a valid ad-hoc signature', async () => {
    expect((await load('electron-builder.yml'))['electronFuses']).toEqual({ ...RELEASE_FUSES, resetAdHocDarwinSignature: true });
  });

  it('deb: electron-builder’s default dependencies (replaced, not extended, by depends) plus libsecret', async () => {
    const c = await load('electron-builder.yml');
    // The defaults as electron-builder documents them for DebOptions.depends.
    const typings = fs.readFileSync(fromBuilder.resolve('app-builder-lib/out/options/linuxOptions.d.ts'), 'utf8');
    const defaults = JSON.parse(/DebOptions[\s\S]*?@default (\[[^\]]+\])/.exec(typings)![1]!) as string[];
    expect(defaults).toEqual(expect.arrayContaining(['libgtk-3-0', 'xdg-utils', 'libxss1', 'libatspi2.0-0', 'libuuid1']));
    expect(c['deb'].depends).toEqual(expect.arrayContaining([...defaults, 'libsecret-1-0']));
  });

  it('appId: the one the app gives Windows as its AppUserModelID', async () => {
    expect((await load('electron-builder.yml'))['appId']).toBe(APP_ID);
  });

  it('test build: same app, other output dir, every fuse left at Electron’s default', async () => {
    const c = await load('electron-builder.test.yml');
    expect(c['directories'].output).toBe('dist-test');
    expect(c['appId']).toBe('dev.tokendesk.desktop');
    const fuses = c['electronFuses'];
    for (const [name, release] of Object.entries(RELEASE_FUSES)) expect(fuses[name], name).toBe(!release);
  });

  it('has the dist and dist:test scripts', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.yml');
    expect(scripts['dist:test']).toBe('electron-vite build && electron-builder --config electron-builder.test.yml --dir');
  });
});
