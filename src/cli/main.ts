// The headless `tokendesk` CLI entry (plain Node, never Electron).
import { PROVIDER_IDS } from '../shared/domain.js';

process.stdout.write(`tokendesk: providers ${PROVIDER_IDS.join(', ')}\n`);
