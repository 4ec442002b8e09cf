// The HTML pages of sign-in: the consent page of the authorization endpoint, the device
// verification pages and the error page. Plain forms with real buttons, so a browser test
// can click them; every value shown is escaped. No page ever carries a code or a token.
import { text, type Reply } from './wire.js';

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(status: number, title: string, body: string): Reply {
  const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
  <h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
  return text(status, html, 'text/html; charset=utf-8', PAGE_HEADERS);
}

/** A form that POSTs `fields` (hidden) to `action` with one submit button. */
function buttonForm(action: string, fields: Record<string, string>, label: string): string {
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `  <form method="post" action="${escapeHtml(action)}">${hidden}<button type="submit">${escapeHtml(label)}</button></form>`;
}

function facts(rows: [string, string][]): string {
  return `  <dl>\n${rows.map(([k, v]) => `    <dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}\n  </dl>`;
}

export const signInTitle = (vendor: string): string => `Sign in to ${vendor} (simulator)`;

/** The consent page: who asks, for what, and Approve / Deny, each its own form POST carrying the one-time request id. */
export function consentPage(vendor: string, decisionPath: string, requestId: string, clientId: string, scope: string): Reply {
  return page(
    200,
    signInTitle(vendor),
    [
      '  <p>An application asks for access to your account.</p>',
      facts([
        ['Client', clientId],
        ['Scope', scope === '' ? '(none)' : scope],
      ]),
      buttonForm(decisionPath, { request_id: requestId, decision: 'approve' }, 'Approve'),
      buttonForm(decisionPath, { request_id: requestId, decision: 'deny' }, 'Deny'),
    ].join('\n'),
  );
}

/** A request the simulator will not redirect (RFC 6749 §4.1.2.1) or a decision it cannot take. */
export function errorPage(status: number, vendor: string, message: string): Reply {
  return page(status, `Sign-in error — ${vendor} (simulator)`, `  <p role="alert">${escapeHtml(message)}</p>`);
}

/** GET /device without a code (or with an unusable one): a form to type the user code. */
export function deviceEntryPage(status: number, vendor: string, pagePath: string, message?: string): Reply {
  const alert = message === undefined ? '' : `  <p role="alert">${escapeHtml(message)}</p>\n`;
  return page(
    status,
    signInTitle(vendor),
    `${alert}  <form method="get" action="${escapeHtml(pagePath)}">
    <label>Code shown on your device <input name="user_code" autocomplete="off" autocapitalize="characters"></label>
    <button type="submit">Continue</button>
  </form>`,
  );
}

/** GET /device?user_code=…: the pending device request and Approve / Deny. */
export function deviceConsentPage(vendor: string, decisionPath: string, userCode: string, clientId: string, scope: string): Reply {
  return page(
    200,
    signInTitle(vendor),
    [
      '  <p>A device asks for access to your account. Check that it shows this code.</p>',
      facts([
        ['Code', userCode],
        ['Client', clientId],
        ['Scope', scope === '' ? '(none)' : scope],
      ]),
      buttonForm(decisionPath, { user_code: userCode, decision: 'approve' }, 'Approve'),
      buttonForm(decisionPath, { user_code: userCode, decision: 'deny' }, 'Deny'),
    ].join('\n'),
  );
}

/** After a device decision: nothing more to do in the browser. */
export function deviceDonePage(vendor: string, approved: boolean): Reply {
  return page(
    200,
    signInTitle(vendor),
    approved
      ? '  <p role="status">Approved. Return to your device: it finishes signing in by itself.</p>'
      : '  <p role="status">Denied. The device will not get access.</p>',
  );
}
