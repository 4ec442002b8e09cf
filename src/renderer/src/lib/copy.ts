// What the inspector's copy buttons check before asking the owner. Pure (unit-tested).

/** The curl line's URL as typed, or why it cannot be used (empty: ask for it rather than aim at a placeholder). */
export function curlUrlProblem(url: string): string | undefined {
  const trimmed = url.trim();
  if (!trimmed) return 'Type the URL the curl line should call first.';
  try {
    const parsed = new URL(trimmed);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'The curl line’s URL must start with https:// or http://.';
  } catch {
    return 'The curl line’s URL is not a URL: it should look like https://api.example.com/v1/me.';
  }
  return undefined;
}
