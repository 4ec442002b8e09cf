// Provider simulators, the common machinery (docs/ARCHITECTURE.md "Provider simulators"): an HTTP server on
// 127.0.0.1 with an ephemeral port, request recording, a fault queue, JWT-shaped token
// minting, grant bookkeeping with rotation and reuse detection, and a close() that also
// ends hung requests. Vendor files (ups.ts, pathstack.ts…) only describe their wire format.
//
// This file is the harness's one entry point; the parts live in harness/, one job each:
//   api.ts           what a simulator offers the tests and the demo (options, faults, the handle)
//   vendor.ts        what a vendor file hands the harness (routes, error shapes, issue)
//   wire.ts          helpers for a vendor's wire format: answers to build, requests to read
//   tokens.ts        random values, JWT-shaped and opaque tokens, the record of issued secrets
//   grants.ts        grant bookkeeping: rotation, reuse detection, expiry, revocation
//   authorization.ts sign-in: clients, authorization endpoint, codes + PKCE, client credentials
//   device.ts        the device authorization grant (RFC 8628): codes, decisions, polling
//   pages.ts         sign-in's HTML: consent, device verification and error pages
//   options.ts       options checked and merged with the vendor's defaults
//   faults.ts        the fault queue
//   routing.ts       a request recorded, routed, and handed to a fault or the vendor's handler
//   answers.ts       the answer written: a success (spoiled by a fault) or a fault's own answer
//   slow-writers.ts  answers written over time or cut short (trickle, oversize, raw)
//   http.ts          node:http plumbing: reading a request, writing a Reply
//   lifecycle.ts     listening, and a close() that ends connections and pending writes
//   server.ts        startSimulatorServer: the parts put together
//
// Product code: it also powers the demo mode, so Node built-ins only, no test framework.
export type {
  Fault,
  Grant,
  OAuth2ClientAuth,
  OAuth2Discovery,
  RecordedRequest,
  Simulator,
  SimulatorOptions,
  TokenRotation,
} from './harness/api.js';
export {
  GrantStore,
  grantFor,
  type GrantRecord,
  type GrantStoreConfig,
  type RedeemOptions,
  type RedeemResult,
  type RefreshRejection,
} from './harness/grants.js';
export {
  SignIn,
  s256,
  type CodeExchange,
  type CodeRejection,
  type DeviceExchange,
  type IssuedGrant,
  type ScopeCheck,
  type SignInClient,
  type SignInConfig,
} from './harness/authorization.js';
export type { DevicePollError } from './harness/device.js';
export type { ResolvedOptions, VendorDefaults } from './harness/options.js';
export { startSimulatorServer } from './harness/server.js';
export { mintJwt, opaqueToken, randomAlnum, randomToken, randomUUID, recordIssuedSecret, tokenHash } from './harness/tokens.js';
export type { CallContext, HarnessContext, Route, SimulatorDefinition, SuccessView, VendorWire } from './harness/vendor.js';
export {
  authorization,
  basicCredentials,
  isRecord,
  json,
  mediaType,
  parseJson,
  repeatedParams,
  retryAfter,
  text,
  type JsonParse,
  type Reply,
} from './harness/wire.js';
