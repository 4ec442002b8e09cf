// The dashboard's one deep link: `#/accounts/<id>` selects that account and opens its
// details. Main loads it for a notification or tray click; the renderer reads it on load
// and on every hashchange.
const ACCOUNT_ROUTE = /^#\/accounts\/([^/?#]+)$/;

export function accountFragment(accountId: string): string {
  return `#/accounts/${encodeURIComponent(accountId)}`;
}

/** The account id a fragment names, or undefined when it names none (or is malformed). */
export function accountIdFromFragment(hash: string): string | undefined {
  const match = ACCOUNT_ROUTE.exec(hash);
  if (!match) return undefined;
  try {
    const id = decodeURIComponent(match[1]!);
    return id.length > 0 && id.length <= 200 ? id : undefined;
  } catch {
    return undefined;
  }
}
