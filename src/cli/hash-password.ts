// `npm run hash-password`: prints the `users[].passwordHash` for a password read from the terminal
// (twice, not echoed) or from stdin (`printf %s "$PW" | npm run -s hash-password`), never from the
// command line, where it would land in shell history and the process list.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { hashPasswordInput } from '../config/hash-password.js';

async function ask(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function main(): Promise<number> {
  let input: string;
  if (process.stdin.isTTY) {
    input = await ask('Password: ');
    if ((await ask('Again: ')) !== input) {
      console.error('the passwords differ');
      return 1;
    }
  } else {
    input = await readStdin();
  }
  const result = hashPasswordInput(input);
  if (!result.ok) {
    console.error(result.message);
    return 1;
  }
  console.log(result.hash);
  return 0;
}

process.exitCode = await main();
