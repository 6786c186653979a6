/**
 * Reads the payload files of header-less payloads (publish.payload.file / files, relative to the scenario's
 * directory) into the scenario once it is valid, so worker threads get every byte in the plan and read no file.
 * A new value: `scenario` is not changed.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Scenario } from './model.js';
import { MAX_PAYLOAD_FILE_BYTES, payloadFileProblem } from './payloadRules.js';
import type { PathProblem } from './problems.js';
import { setBodySize } from './resolve.js';
import { ReadProblem } from '../shared/readLimited.js';

function readLimitedSync(path: string, limit: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new ReadProblem('notRegular', 'it is not a regular file');
    if (info.size > limit) throw new ReadProblem('tooBig', `${info.size} bytes`, info.size);
    const buf = Buffer.alloc(info.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

export function readPayloadFiles(scenario: Scenario, baseDir: string): { scenario: Scenario } | { problems: PathProblem[] } {
  if (!scenario.groups.some((g) => g.publish?.payload.body?.files)) return { scenario };
  const problems: PathProblem[] = [];
  const groups = scenario.groups.map((g, gi) => {
    const body = g.publish?.payload.body;
    if (!g.publish || !body?.files) return g;
    const data: string[] = [];
    body.files.forEach((f, k) => {
      const path = body.source === 'file' ? ['groups', gi, 'publish', 'payload', 'file'] : ['groups', gi, 'publish', 'payload', 'files', k];
      try {
        data.push(readLimitedSync(resolve(baseDir, f), MAX_PAYLOAD_FILE_BYTES).toString('base64'));
      } catch (err) {
        problems.push(payloadFileProblem(path, f, baseDir, err));
      }
    });
    const payload = { ...g.publish.payload, body: { ...body, files: [...body.files], data } };
    setBodySize(payload);
    return { ...g, publish: { ...g.publish, payload } };
  });
  return problems.length ? { problems } : { scenario: { ...scenario, groups } };
}
