// Asks for a secret on the terminal without echoing it. Its own module: the CLI's client
// path imports it without the vault's key wrappers.
import { VaultLockedError } from './errors.js';

/** Reads a line from the terminal without echoing it. Rejects when there is no terminal. */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  if (!input.isTTY) return Promise.reject(new VaultLockedError('No terminal to ask for the vault passphrase: set TOKENDESK_PASSPHRASE.'));
  output.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (result: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      result();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return finish(() => reject(new VaultLockedError('Passphrase entry cancelled.')));
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    input.on('data', onData);
  });
}
