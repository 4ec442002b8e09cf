// zod must know before any schema is built (contract.ts and the provider descriptors build
// theirs at module load) that it may not use eval: building an object schema probes
// `new Function` otherwise, and under our CSP the probe is reported as a violation even
// though it is caught. The first screen loads no zod; each renderer module that brings in
// schemas (lib/form.ts, lib/provider-registry.ts, SettingsDialog.tsx) imports this first,
// and the build puts it in zod's own chunk, so it runs as soon as zod exists.
import { z } from 'zod';

z.config({ jitless: true });
