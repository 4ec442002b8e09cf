// The product version, kept equal to package.json by test/unit/version.test.ts
// (a constant rather than a JSON import so every bundle and the renderer share it).
export const TOKENDESK_VERSION = '0.1.0';
export const USER_AGENT = `TokenDesk/${TOKENDESK_VERSION}`;
