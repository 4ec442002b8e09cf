// The one kind of store the dashboard has: a value replaced whole on every change, read by
// components through useSyncExternalStore. The owner's data, action progress, the clock and
// the toasts are each one of these; components hold no shared state of their own.
import { useSyncExternalStore } from 'react';

export interface ExternalStore<T> {
  get(): T;
  /** Replaces the value and tells every subscriber, synchronously. */
  set(next: T): void;
  subscribe(listener: () => void): () => void;
}

export interface ExternalStoreOptions {
  /** Runs when the first subscriber arrives; what it returns runs when the last one leaves. */
  start?: () => () => void;
}

export function createStore<T>(initial: T, options: ExternalStoreOptions = {}): ExternalStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  let stop: (() => void) | undefined;
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      if (listeners.size === 0 && options.start) stop = options.start();
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stop) {
          stop();
          stop = undefined;
        }
      };
    },
  };
}

/** The part of a store's value a component reads; it re-renders only when that part changes. */
export function useSelector<T, U>(store: ExternalStore<T>, select: (value: T) => U): U {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
