// Imported first by main.tsx: zod must know before any schema is built (contract.ts at
// module load) that it may not use eval. Building an object schema probes `new Function`
// otherwise, and under our CSP the probe is reported as a violation even though it is caught.
import { z } from 'zod';

z.config({ jitless: true });
