// Counted nouns in one place, so no screen says "1 refreshes": `plural(1, 'refresh')` is
// "1 refresh", `plural(3, 'refresh')` "3 refreshes". Irregular words pass their plural.
export function pluralWord(count: number, one: string, many?: string): string {
  if (count === 1) return one;
  if (many !== undefined) return many;
  return /(?:s|sh|ch|x|z)$/.test(one) ? `${one}es` : `${one}s`;
}

export function plural(count: number, one: string, many?: string): string {
  return `${count} ${pluralWord(count, one, many)}`;
}
