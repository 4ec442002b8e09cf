import { describe, expect, it } from 'vitest';
import { redact } from '../../src/main/core/net/redact.js';

describe('redact', () => {
  const secret = 'rt/abc+def=ghi';
  it('removes a secret in plain, URL-encoded, base64 and JSON-escaped forms', () => {
    const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), 'rt\\/abc+def=ghi'.replace('\\/', '/')];
    for (const form of forms) {
      const out = redact(`token was ${form} here`, [secret]);
      expect(out, form).not.toContain(form);
      expect(out).toContain('[redacted]');
    }
  });
  it('leaves text alone when no secret is in it, and ignores tiny or missing secrets', () => {
    expect(redact('nothing to see', [secret, undefined, 'ab'])).toBe('nothing to see');
  });
  it('replaces every occurrence', () => {
    expect(redact('x1234y1234z', ['1234'])).toBe('x[redacted]y[redacted]z');
  });
});
