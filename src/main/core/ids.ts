import { randomUUID } from 'node:crypto';

/** Ids for accounts and history rows: random, so they reveal nothing. */
export function randomId(): string {
  return randomUUID();
}
