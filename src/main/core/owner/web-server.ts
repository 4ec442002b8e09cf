// The `tokendesk serve` web host: the built dashboard as static files plus the contract
// over a WebSocket, for a browser on this machine only (docs/ARCHITECTURE.md "serve web host").
//
// Security design (README "tokendesk serve"):
// - Binds 127.0.0.1 only. Nothing else on the network can connect.
// - A capability URL: a random 256-bit secret per run is the first path segment
//   (http://127.0.0.1:PORT/<secret>/). Every request — page, assets, WebSocket — must
//   carry it, so other local web pages and users cannot reach the dashboard without the
//   printed link. No cookie: cookies are not isolated by port, so another server on
//   127.0.0.1 would receive them. The dashboard's assets use relative URLs, so the
//   secret prefix needs no support in the renderer.
// - DNS rebinding: the Host header must be 127.0.0.1:PORT or localhost:PORT.
// - Cross-site requests: a foreign Origin (or Sec-Fetch-Site other than same-origin or
//   none — save a same-site top-level navigation to the page) is refused, on the WebSocket
//   upgrade and on every request; only GET and HEAD
//   exist over HTTP, every state change goes through the WebSocket.
// - Strict CSP (no inline script, no eval; inline <style> only with a per-response nonce),
//   nosniff, no referrer, no framing; no path outside the renderer directory is served.
// - WebSocket messages are capped at 1 MiB; malformed ones get an error reply and never
//   reach the router, which validates every call's input with its zod schema anyway.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EventName } from '../../../shared/contract.js';
import type { Router } from './router.js';
import { RpcSession, type EventSource } from './rpc-session.js';

/** A single WebSocket message larger than this closes the connection (code 1009). */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
/** A client that stops reading: past this much queued output it is disconnected. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;
/** The placeholder in index.html that receives the per-response style nonce. */
const STYLE_NONCE_META = /<meta name="tokendesk-style-nonce" content="[^"]*"\s*\/?>/;

export interface WebServerOptions {
  router: Router;
  events?: EventSource;
  eventNames?: readonly EventName[];
  /** The built renderer (out/renderer): index.html and assets/. */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only loopback makes sense for this server; the CLI fixes it to 127.0.0.1. */
  host?: '127.0.0.1';
  /** The URL secret (random when absent). */
  secret?: string;
  /** Diagnostics (never given a secret or a request path). */
  log?: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class WebServer {
  readonly secret: string;
  private server?: Server;
  private wss?: WebSocketServer;
  private rootReal?: string;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private heartbeat?: NodeJS.Timeout;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WebServerOptions) {
    this.secret = options.secret ?? randomBytes(32).toString('base64url');
    if (!/^[A-Za-z0-9_-]{16,}$/.test(this.secret)) throw new Error('The web secret must be at least 16 URL-safe characters');
    this.log = options.log ?? (() => undefined);
  }

  /** The dashboard's address, with the secret: print it for the user, never log it. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.secret}/`;
  }

  get listeningPort(): number {
    return this.port;
  }

  async listen(): Promise<{ url: string; port: number }> {
    const indexFile = path.join(this.options.rendererDir, 'index.html');
    try {
      this.rootReal = await realpath(this.options.rendererDir);
      await stat(indexFile);
    } catch {
      throw new Error(`The dashboard is not built (no ${indexFile}); run \`npm run build\` first`);
    }
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent) this.sendText(res, 500, 'Internal error');
        else res.destroy();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    // Bad request lines and oversized headers: answer 400 without touching the owner.
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    server.headersTimeout = 20_000;
    server.requestTimeout = 30_000;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    this.heartbeat.unref();
    return { url: this.url, port: this.port };
  }

  /** Closes every WebSocket (1001 going away), then the HTTP server. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const client of this.wss?.clients ?? []) client.close(1001, 'TokenDesk is stopping');
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    // Give close frames a moment to leave, then drop whatever is left (keep-alive sockets).
    await new Promise((r) => setTimeout(r, 50));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // ── checks ───────────────────────────────────────────────────────────

  private allowedHosts(): Set<string> {
    return new Set([`127.0.0.1:${this.port}`, `localhost:${this.port}`]);
  }

  private allowedOrigins(): Set<string> {
    return new Set([`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`]);
  }

  /** Host, Origin and Sec-Fetch-Site; throws a Refusal. */
  private checkProvenance(req: IncomingMessage): void {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.allowedHosts().has(host)) {
      throw new Refusal(403, 'Forbidden: unexpected Host header. TokenDesk answers only at 127.0.0.1 and localhost.');
    }
    const origin = req.headers.origin;
    // Absent Origin: not a cross-site browser request (curl, the ws client, a typed URL).
    if (origin !== undefined && !this.allowedOrigins().has(origin.toLowerCase())) {
      throw new Refusal(403, 'Forbidden: requests from other origins are refused.');
    }
    const site = req.headers['sec-fetch-site'];
    // One same-site exception: opening the dashboard page itself in a tab from another
    // 127.0.0.1 port — the real dashboard opening the demo's ("Explore the demo"). A
    // top-level GET of a static page changes nothing, and it still needs the secret.
    const sameSiteOpen = site === 'same-site' && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && !sameSiteOpen) {
      throw new Refusal(403, 'Forbidden: cross-site requests are refused.');
    }
  }

  /** The path after /<secret>, or a Refusal (401) when the secret is missing or wrong. */
  private checkSecret(pathname: string): string {
    const match = /^\/([^/]*)(.*)$/.exec(pathname);
    const given = Buffer.from(match?.[1] ?? '');
    const expected = Buffer.from(this.secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new Refusal(401, 'Unauthorized: open the dashboard with the link `tokendesk serve` printed (it carries a secret).');
    }
    return match?.[2] ?? '';
  }

  // ── HTTP ─────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let rest: string;
    try {
      this.checkProvenance(req);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        throw new Refusal(405, 'Method not allowed: the dashboard changes things only over its WebSocket.');
      }
      const rawPath = (req.url ?? '/').split('?')[0]!;
      rest = this.checkSecret(rawPath);
    } catch (err) {
      if (err instanceof Refusal) {
        this.log(`refused ${req.method ?? '?'} request: ${err.status}`);
        return this.sendText(res, err.status, err.message);
      }
      throw err;
    }
    if (rest === '') {
      // /<secret> → /<secret>/ so the page's relative asset URLs resolve under the secret.
      res.writeHead(308, { ...this.securityHeaders(), location: `/${this.secret}/` });
      res.end();
      return;
    }
    if (rest === '/' || rest === '/index.html') return this.sendIndex(req, res);
    const file = await this.resolveAsset(rest);
    if (!file) return this.sendText(res, 404, 'Not found');
    const body = await readFile(file);
    res.writeHead(200, {
      ...this.securityHeaders(),
      'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(body.length),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** A file strictly inside the renderer directory, or undefined. */
  private async resolveAsset(rest: string): Promise<string | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rest);
    } catch {
      return undefined;
    }
    // Refuse rather than normalise: a legitimate asset URL never has these.
    if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((s) => s === '..' || s === '.')) return undefined;
    const root = this.rootReal!;
    const candidate = path.resolve(root, `.${decoded}`);
    if (!candidate.startsWith(root + path.sep)) return undefined;
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(root + path.sep)) return undefined; // a symlink pointing out
      const info = await stat(real);
      return info.isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }

  private async sendIndex(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const html = (await readFile(path.join(this.rootReal!, 'index.html'), 'utf8')).replace(
      STYLE_NONCE_META,
      `<meta name="tokendesk-style-nonce" content="${nonce}" />`,
    );
    const body = Buffer.from(html);
    res.writeHead(200, {
      ...this.securityHeaders(nonce),
      'content-type': CONTENT_TYPES['.html']!,
      'content-length': String(body.length),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private securityHeaders(styleNonce?: string): Record<string, string> {
    const ws = [...this.allowedHosts()].map((h) => `ws://${h}`).join(' ');
    const csp = [
      "default-src 'none'",
      "script-src 'self'",
      // Radix injects small <style> elements (scroll lock); they carry this nonce.
      `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ].join('; ');
    return {
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      // The URLs carry the secret: keep them out of every cache.
      'cache-control': 'no-store',
    };
  }

  private sendText(res: ServerResponse, status: number, text: string): void {
    const body = Buffer.from(`${text}\n`);
    res.writeHead(status, { ...this.securityHeaders(), 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) });
    res.end(body);
  }

  // ── WebSocket ────────────────────────────────────────────────────────

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    try {
      this.checkProvenance(req);
      const rest = this.checkSecret((req.url ?? '/').split('?')[0]!);
      if (rest !== '/ws') throw new Refusal(404, 'Not found');
    } catch (err) {
      const status = err instanceof Refusal ? err.status : 400;
      this.log(`refused WebSocket upgrade: ${status}`);
      const reason = err instanceof Refusal ? err.message : 'Bad request';
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Bad Request'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
      return;
    }
    this.wss!.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private ping(): void {
    for (const client of this.wss?.clients ?? []) {
      const alive = client as WebSocket & { tokendeskAlive?: boolean };
      if (alive.tokendeskAlive === false) {
        client.terminate();
        continue;
      }
      alive.tokendeskAlive = false;
      client.ping();
    }
  }

  private accept(ws: WebSocket): void {
    const state = ws as WebSocket & { tokendeskAlive?: boolean };
    state.tokendeskAlive = true;
    ws.on('pong', () => (state.tokendeskAlive = true));
    const { router, events, eventNames } = this.options;
    // The WebSocket serves the dashboard page (`tokendesk serve`).
    const session = new RpcSession({
      router,
      caller: { actor: 'dashboard' },
      events,
      eventNames,
      send: (text) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ws.close(1008, 'Client is not reading');
          return;
        }
        ws.send(text);
      },
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) session.refuse('Messages must be JSON text');
      else session.receive(rawText(data));
    });
    // Oversized frames, bad UTF-8, protocol errors: ws closes the connection; the owner carries on.
    ws.on('error', (err) => this.log(`WebSocket closed on error: ${(err as { code?: string }).code ?? err.name}`));
    ws.on('close', () => session.close());
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
