// Simulator options: checked, and merged with the vendor's defaults.
import type { SimulatorOptions } from './api.js';

/** What a vendor does when the options leave it open. */
export interface VendorDefaults {
  accessTtlSec: number;
  refreshTtlSec?: number;
  rotate: boolean;
  jwtAccessTokens: boolean;
}

export interface ResolvedOptions {
  accessTtlSec: number;
  refreshTtlSec: number | undefined;
  rotate: boolean;
  reuseDetection: boolean;
  jwtAccessTokens: boolean;
  now: () => number;
  /** As given, for the vendor-specific options. */
  raw: SimulatorOptions;
}

export function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
}

export function resolveOptions(defaults: VendorDefaults, options: SimulatorOptions): ResolvedOptions {
  checkNonNegative('accessTtlSec', options.accessTtlSec);
  checkNonNegative('refreshTtlSec', options.refreshTtlSec);
  return {
    accessTtlSec: options.accessTtlSec ?? defaults.accessTtlSec,
    refreshTtlSec: options.refreshTtlSec ?? defaults.refreshTtlSec,
    rotate: options.rotate ?? defaults.rotate,
    reuseDetection: options.reuseDetection ?? true,
    jwtAccessTokens: options.jwtAccessTokens ?? defaults.jwtAccessTokens,
    now: options.now ?? Date.now,
    raw: options,
  };
}
