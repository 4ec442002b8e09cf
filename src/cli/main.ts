// Entry of the `tokendesk` CLI (bin/tokendesk.js runs the built copy with plain node).
import { main } from './program.js';

// `tokendesk list | head`: a closed pipe is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await main();
// Exit once stdout has drained: idle keep-alive sockets must not hold a script waiting.
process.stdout.write('', () => process.exit(code));
