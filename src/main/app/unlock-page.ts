// The small passphrase window (unlock a passphrase vault, create one, or switch to
// one): three static files served from memory on tokendesk://app/, so it needs no
// renderer build and obeys the same CSP (no inline script). It talks only to
// window.tokendeskUnlock (src/preload/unlock.ts).

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'" />
    <title>TokenDesk</title>
    <link rel="stylesheet" href="unlock.css" />
  </head>
  <body>
    <form id="form" autocomplete="off">
      <h1 id="title">Unlock TokenDesk</h1>
      <p id="reason"></p>
      <label for="passphrase">Passphrase</label>
      <input id="passphrase" type="password" autofocus required maxlength="1024" />
      <div id="repeat-row" hidden>
        <label for="repeat">Repeat the passphrase</label>
        <input id="repeat" type="password" maxlength="1024" />
      </div>
      <p id="error" role="alert"></p>
      <div class="buttons">
        <button type="button" id="use-system" hidden></button>
        <button type="button" id="cancel">Cancel</button>
        <button type="submit" id="submit">Unlock</button>
      </div>
    </form>
    <script src="unlock.js"></script>
  </body>
</html>
`;

const CSS = `:root { color-scheme: light dark; font: 14px/1.4 system-ui, sans-serif; }
body { margin: 0; padding: 20px 24px; background: Canvas; color: CanvasText; }
h1 { font-size: 18px; margin: 0 0 8px; }
p { margin: 0 0 12px; }
#reason { opacity: 0.8; }
label { display: block; margin: 8px 0 4px; }
input { width: 100%; box-sizing: border-box; padding: 6px 8px; font: inherit; }
#error { color: #d1242f; min-height: 1.4em; margin-top: 8px; }
.buttons { display: flex; justify-content: flex-end; gap: 8px; }
#use-system { margin-right: auto; }
button { font: inherit; padding: 6px 14px; }
`;

const JS = `'use strict';
(function () {
  var api = window.tokendeskUnlock;
  var $ = function (id) { return document.getElementById(id); };
  var mode = 'unlock';
  var busy = false;
  var TITLES = { unlock: 'Unlock TokenDesk', create: 'Choose a vault passphrase', set: 'Protect secrets with a passphrase' };
  var BUTTONS = { unlock: 'Unlock', create: 'Create vault', set: 'Use this passphrase' };
  api.info().then(function (info) {
    mode = info.mode;
    $('title').textContent = TITLES[mode] || TITLES.unlock;
    $('submit').textContent = BUTTONS[mode] || BUTTONS.unlock;
    $('reason').textContent = info.reason || '';
    if (info.systemChoice) { $('use-system').textContent = info.systemChoice; $('use-system').hidden = false; }
    $('repeat-row').hidden = mode === 'unlock';
    $('repeat').required = mode !== 'unlock';
    $('passphrase').focus();
  });
  $('form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    $('submit').disabled = true;
    $('error').textContent = mode === 'unlock' ? 'Unlocking…' : 'Saving…';
    var input = { passphrase: $('passphrase').value };
    if (mode !== 'unlock') input.repeat = $('repeat').value;
    api.submit(input).then(function (reply) {
      busy = false;
      $('submit').disabled = false;
      if (reply.ok) { $('error').textContent = ''; return; }
      $('error').textContent = reply.message;
      $('passphrase').select();
    });
  });
  $('cancel').addEventListener('click', function () { api.cancel(); });
  $('use-system').addEventListener('click', function () {
    if (busy) return;
    busy = true;
    api.useSystem().then(function (reply) {
      busy = false;
      if (!reply.ok) $('error').textContent = reply.message;
    });
  });
})();
`;

export const UNLOCK_PAGES: Readonly<Record<string, { body: string; type: string }>> = {
  '/unlock.html': { body: HTML, type: 'text/html; charset=utf-8' },
  '/unlock.css': { body: CSS, type: 'text/css; charset=utf-8' },
  '/unlock.js': { body: JS, type: 'text/javascript; charset=utf-8' },
};
