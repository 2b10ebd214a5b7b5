#!/usr/bin/env node
/** `npx iftb-db <command>` (see cli.ts). */
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
