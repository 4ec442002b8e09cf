// The loopback redirect of a browser sign-in (RFC 8252 §7.3): a one-shot HTTP listener on
// 127.0.0.1 — an OS-assigned port, or the port of a redirect URI the provider requires
// exactly — that waits for the authorization server to send the browser back with a code.
// Only GET on the exact path with the expected `state` ends the wait; anything else gets an
// error page and the wait goes on. The code is never logged; pages are plain and tell the
// user to return to TokenDesk.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '../net/provider-error.js';

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_PATH = '/callback';

export interface LoopbackOptions {
  /** The `state` the authorization request carries. */
  state: string;
  /** A redirect URI registered with the provider, used exactly (loopback http only). */
  redirectUri?: string;
  timeoutMs?: number;
  /** Cancels the wait (the user pressed Cancel). */
  signal?: AbortSignal;
}

export interface LoopbackResult {
  code: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Checks a registered redirect URI; returns where to listen. */
function parseRegistered(uri: string): { hosts: string[]; port: number; path: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ProviderError({ errorClass: 'config_error', message: `The redirect URI ${uri} is not a URL` });
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || !url.port || url.search || url.hash) {
    throw new ProviderError({
      errorClass: 'config_error',
      message: `The redirect URI must be http://127.0.0.1:PORT/path (or [::1] / localhost) with a port and no query: ${uri} is not`,
    });
  }
  // A provider that insists on "localhost": the browser may resolve it to either address.
  const hosts = url.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [url.hostname.replace(/^\[|\]$/g, '')];
  return { hosts, port: Number(url.port), path: url.pathname };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;color-scheme:light dark}h1{font-size:1.3em}</style>
</head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

function reply(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, SECURITY_HEADERS).end(page(title, body));
}

/** What the authorization server's error says, in words (RFC 6749 §4.1.2.1); never echoes unknown text as HTML. */
function describeError(error: string, description: string | null): ProviderError {
  const words = description ? `: ${description.replace(/[^\x20-\x7e]/g, '').slice(0, 300)}` : '';
  if (error === 'access_denied') {
    return new ProviderError({ errorClass: 'reauth_required', vendorCode: error, message: `Sign-in was declined at the provider${words}` });
  }
  const transient = error === 'temporarily_unavailable' || error === 'server_error';
  const code = error.replace(/[^\w.-]/g, '').slice(0, 64);
  return new ProviderError({ errorClass: transient ? 'transient' : 'config_error', vendorCode: code, message: `The provider refused the sign-in (${code}${words})` });
}

export class LoopbackRedirect {
  readonly redirectUri: string;
  readonly #servers: Server[];
  readonly #result: Promise<LoopbackResult>;
  #closed = false;

  private constructor(redirectUri: string, servers: Server[], result: Promise<LoopbackResult>) {
    this.redirectUri = redirectUri;
    this.#servers = servers;
    this.#result = result;
  }

  /** Starts listening. Rejects with a config_error when a registered port is taken. */
  static async open(options: LoopbackOptions): Promise<LoopbackRedirect> {
    const registered = options.redirectUri ? parseRegistered(options.redirectUri) : undefined;
    const path = registered?.path ?? DEFAULT_PATH;
    let settle!: { resolve: (r: LoopbackResult) => void; reject: (e: unknown) => void };
    const result = new Promise<LoopbackResult>((resolve, reject) => (settle = { resolve, reject }));
    let done = false;

    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (done) return reply(res, 410, 'This sign-in is over', 'You can close this tab and return to TokenDesk.');
      if (req.method !== 'GET') return reply(res, 405, 'Not here', 'TokenDesk waits for the provider to send your browser back here.');
      if (url.pathname !== path) return reply(res, 404, 'Not here', 'This is not the page TokenDesk is waiting on. Return to TokenDesk.');
      if (url.searchParams.get('state') !== options.state) {
        return reply(res, 400, 'This sign-in is not the one TokenDesk is waiting for', 'The link does not match the sign-in TokenDesk started (its state differs). Start the sign-in again from TokenDesk.');
      }
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      done = true;
      if (error) {
        reply(res, 200, 'Sign-in did not complete', 'The provider did not sign you in. Return to TokenDesk to see why; you can close this tab.');
        settle.reject(describeError(error, url.searchParams.get('error_description')));
      } else if (code) {
        reply(res, 200, 'Signed in', 'TokenDesk has what it needs. Return to TokenDesk; you can close this tab.');
        settle.resolve({ code });
      } else {
        reply(res, 400, 'Sign-in did not complete', 'The provider sent your browser back without a code. Return to TokenDesk.');
        settle.reject(new ProviderError({ errorClass: 'config_error', message: 'The provider redirected back without a code or an error' }));
      }
    };

    const servers: Server[] = [];
    const hosts = registered?.hosts ?? ['127.0.0.1'];
    let port = registered?.port ?? 0;
    for (const [i, host] of hosts.entries()) {
      const server = createServer(onRequest);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => resolve());
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // localhost: the second address family may not exist on this machine.
        if (i > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        for (const s of servers) s.close();
        if (code === 'EADDRINUSE') {
          throw new ProviderError({ errorClass: 'config_error', message: `Port ${port} of the registered redirect URI is in use by another program; close it or register another port` });
        }
        throw new ProviderError({ errorClass: 'config_error', message: `Cannot listen for the sign-in redirect on ${host}:${port} (${code ?? 'error'})` });
      }
      port = (server.address() as AddressInfo).port;
      servers.push(server);
    }
    const redirectUri = options.redirectUri ?? `http://127.0.0.1:${port}${path}`;
    const loopback = new LoopbackRedirect(redirectUri, servers, result);

    const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      done = true;
      settle.reject(new ProviderError({ errorClass: 'reauth_required', vendorCode: 'timed_out', message: `Sign-in timed out after ${Math.round(timeoutMs / 1000)} s without an answer from the browser` }));
    }, timeoutMs);
    const onAbort = () => {
      done = true;
      settle.reject(new ProviderError({ errorClass: 'reauth_required', vendorCode: 'cancelled', message: 'Sign-in cancelled' }));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    // One answer ends it: stop listening (after the reply is written), forget the timer.
    void result
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        loopback.close();
      });
    return loopback;
  }

  /** Resolves with the code, or rejects with a ProviderError: declined, timed out, cancelled, refused. */
  wait(): Promise<LoopbackResult> {
    return this.#result;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const server of this.#servers) {
      server.close();
      server.closeIdleConnections();
    }
  }
}
