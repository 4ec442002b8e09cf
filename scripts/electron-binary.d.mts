// Types for scripts/electron-binary.mjs (used from TypeScript tests).
export function electronPackageDir(): string;
export function skipDownloadRequested(env?: NodeJS.ProcessEnv): boolean;
export function findElectronBinary(options?: { packageDir?: string; env?: NodeJS.ProcessEnv }): { found: true; executablePath: string } | { found: false; expected: string | undefined };
export const MISSING_BINARY_MESSAGE: string;
