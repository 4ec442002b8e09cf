// Characters no single-line value may hold. Its own module, without zod: the CLI's lean
// client path (src/cli/fast.ts) uses it too.

/**
 * Control characters (C0, DEL, C1), bidi controls (U+202E and friends: a "Trojan Source"
 * name or token displays as something else) and line separators. In a single-line value
 * they mean a paste went wrong, or someone is up to something: refuse them by name.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
