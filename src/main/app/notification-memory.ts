// The refresh-token warnings already shown, kept across launches with electron-store under
// Electron's userData (notifications.json): account id → the expiry of the refresh token it
// was warned about. No secret, nothing a lost file would cost but one repeated notification.
import Store from 'electron-store';
import type { WarnedRefreshTokens } from './notifications.js';

interface NotificationMemorySchema {
  refreshTokenWarnings: Record<string, number>;
}

const SCHEMA = {
  refreshTokenWarnings: { type: 'object', additionalProperties: { type: 'number' } },
} as const;

export class NotificationMemory implements WarnedRefreshTokens {
  readonly #store: Store<NotificationMemorySchema>;

  constructor(cwd?: string) {
    // A damaged file is reset rather than stopping the app.
    this.#store = new Store<NotificationMemorySchema>({
      name: 'notifications',
      schema: SCHEMA as never,
      defaults: { refreshTokenWarnings: {} },
      clearInvalidConfig: true,
      ...(cwd ? { cwd } : {}),
    });
  }

  get(accountId: string): number | undefined {
    return this.#store.get('refreshTokenWarnings')[accountId];
  }

  set(accountId: string, expiresAt: number): void {
    this.#write({ ...this.#store.get('refreshTokenWarnings'), [accountId]: expiresAt });
  }

  delete(accountId: string): void {
    const { [accountId]: _gone, ...rest } = this.#store.get('refreshTokenWarnings');
    this.#write(rest);
  }

  #write(warnings: Record<string, number>): void {
    try {
      this.#store.set('refreshTokenWarnings', warnings);
    } catch (err) {
      console.warn(`TokenDesk: notification state not saved: ${(err as Error).message}`);
    }
  }
}
