// Secrets must never reach a log line, an error message or history (docs/ARCHITECTURE.md
// "Secrets in logs and errors"). A secret can show up encoded, so each one is removed in
// every form a vendor or a URL might echo it back in.

const MIN_SECRET_LENGTH = 4; // shorter values would blank out ordinary words

function encodings(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    utf8.toString('base64'),
    utf8.toString('base64').replace(/=+$/, ''),
    utf8.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

export class Redactor {
  private readonly secrets: (string | undefined)[];
  private needles?: string[];

  constructor(secrets: Iterable<string | undefined>) {
    // The secrets as they are now; their encoded forms only when an error text needs them:
    // every provider call makes a redactor and almost none ever redacts.
    this.secrets = [...secrets];
  }

  redact(text: string): string {
    let out = text;
    for (const needle of (this.needles ??= needlesOf(this.secrets))) out = out.split(needle).join('[redacted]');
    return out;
  }
}

function needlesOf(secrets: (string | undefined)[]): string[] {
  const set = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of encodings(secret)) if (form.length >= MIN_SECRET_LENGTH) set.add(form);
  }
  // Longest first, so a secret inside a longer encoded form is not half-replaced.
  return [...set].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: Iterable<string | undefined>): string {
  return new Redactor(secrets).redact(text);
}
