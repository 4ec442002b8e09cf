// The Help dialog's glossary and links (src/renderer/src/lib/help.ts): every status and failure
// the dashboard shows is explained, under the very label it is shown with; every web link opens.
import { describe, expect, it } from 'vitest';
import { allowedExternalUrl } from '../../src/main/app/external-links.js';
import { readFileSync } from 'node:fs';
import { BUNDLED_DOCS, DOC_LINKS, failureGlossary, statusGlossary } from '../../src/renderer/src/lib/help.js';
import { errorClassShort, statusInfo } from '../../src/renderer/src/lib/status.js';
import { ACCOUNT_STATUSES, ERROR_CLASSES } from '../../src/shared/domain.js';

const view = { notSaved: false, retryAttempt: 0, hasAccessToken: true, paused: false } as const;

describe('help glossary', () => {
  it('explains every account status under the label the list shows, then "Not saved"', () => {
    const labels = statusGlossary().map((e) => e.label);
    expect(labels).toEqual([...ACCOUNT_STATUSES.map((status) => statusInfo({ ...view, status }).label), statusInfo({ ...view, status: 'active', notSaved: true }).label]);
    expect(labels).toContain('Sign in again');
    expect(labels).toContain('Fix settings');
    for (const e of statusGlossary()) {
      expect(e.tokenDesk.length, e.label).toBeGreaterThan(20);
      expect(e.you.length, e.label).toBeGreaterThan(5);
    }
  });

  it('explains every kind of failed refresh under the words the history uses', () => {
    expect(failureGlossary().map((e) => e.label)).toEqual(ERROR_CLASSES.map((c) => errorClassShort(c)));
  });

  it('links only to https pages the desktop app opens in the browser', () => {
    expect(DOC_LINKS.length).toBeGreaterThan(3);
    for (const link of DOC_LINKS) expect(allowedExternalUrl(link.url), link.label).toBe(link.url);
  });

  it('names sections of the bundled docs that exist, heading for heading', () => {
    for (const doc of BUNDLED_DOCS) {
      const headings = readFileSync(doc.file, 'utf8').split('\n').filter((l) => /^#{2,3} /.test(l)).map((l) => l.replace(/^#+ /, ''));
      for (const section of doc.sections) expect(headings, `${doc.file}: ${section}`).toContain(section);
    }
  });
});
