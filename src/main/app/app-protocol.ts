// The dashboard is served from our own scheme, tokendesk://app/, not file:// (Electron
// security checklist: "avoid file://" — a file: page may read any other file: URL,
// and 'self' means little there). Every response carries the strict CSP as a header;
// only files inside the built renderer (plus the few in-memory pages of the shell)
// exist on this origin. No Electron import: the handler is plain fetch-API code.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'tokendesk';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const DASHBOARD_URL = `${APP_ORIGIN}/index.html`;
export const UNLOCK_URL = `${APP_ORIGIN}/unlock.html`;

/** For `protocol.registerSchemesAsPrivileged` (before `ready`). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: relative URLs and a real origin; secure: treated like https (no mixed content).
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/**
 * default-src 'self' and nothing remote. Inline styles only because React and the
 * renderer's own meta tag allow them (scripts never inline, never eval).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  rootDir: string;
  /** Pages served from memory (path → body), e.g. the unlock window. */
  pages?: Readonly<Record<string, { body: string; type: string }>>;
}

function notFound(status = 404, text = 'Not found'): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Maps a tokendesk://app/… URL to a file inside rootDir, or undefined (outside it, or not ours). */
export function resolveAppPath(rootDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  const rel = path.relative(root, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return file;
}

/** The `protocol.handle` handler for tokendesk://. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(405, 'Method not allowed');
    const url = new URL(request.url);
    const page = url.host === APP_HOST ? options.pages?.[url.pathname] : undefined;
    if (page) return new Response(request.method === 'HEAD' ? null : page.body, { headers: { ...SECURITY_HEADERS, 'Content-Type': page.type } });
    const file = resolveAppPath(options.rootDir, request.url);
    if (!file) return notFound();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers: { ...SECURITY_HEADERS, 'Content-Type': type } });
  };
}

/** True for our dashboard page (any fragment/query), the only page allowed to call the contract. */
export function isDashboardUrl(url: string, devServerUrl?: string): boolean {
  return isPageUrl(url, '/index.html', devServerUrl);
}

export function isUnlockUrl(url: string): boolean {
  return isPageUrl(url, '/unlock.html');
}

function isPageUrl(url: string, page: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return parsed.pathname === page || (page === '/index.html' && parsed.pathname === '/');
  // `electron-vite dev` only: the Vite dev server's origin, never in a packaged app.
  if (devServerUrl && page === '/index.html') {
    try {
      return parsed.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}
