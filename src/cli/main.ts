#!/usr/bin/env node
/**
 * The mqbench executable: the real process handed to the program (cli/program.ts), and its exit code set.
 */
import { realIo } from './io.js';
import { buildProgram } from './program.js';

// `mqbench … | head` closes the pipe early: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await buildProgram(realIo).parseAsync(process.argv);
