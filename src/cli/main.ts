// Entry of the `tokendesk` CLI (bin/tokendesk.js runs the built copy with plain node).
import { main } from './program.js';

const code = await main();
// Exit once stdout has drained: idle keep-alive sockets must not hold a script waiting.
process.stdout.write('', () => process.exit(code));
