/**
 * `mqbench plan --fleet "<spec>" <capacity results...>`: how many broker nodes of the measured size a fleet
 * needs, which resource binds and how far to trust it (src/capacity/), as Markdown or HTML.
 */
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { capacityFacts, type CapacityFacts } from '../capacity/capacityFacts.js';
import { FLEET_EXAMPLE, FleetSpecError, parseFleet } from '../capacity/fleetSpec.js';
import { DEFAULT_HEADROOM, projectFleet } from '../capacity/project.js';
import { toHtml, toMarkdown } from '../report/doc.js';
import { fleetReportBlocks } from '../report/fleetReport.js';
import { ExitCode, UserError } from '../shared/errors.js';
import type { CliIo } from './io.js';
import { readOptions } from './options.js';
import { parseSource, readSources } from './sources.js';

export interface PlanFlags {
  fleet: string;
  headroom?: number;
  nodeMemory?: number;
  nodeFds?: number;
  format: 'markdown' | 'html';
  out?: string;
}

/** --headroom: "30%" or 0.3; at least 0, below 100 %. */
export function parseHeadroomArg(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const h = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(h >= 0 && h < 1)) throw new InvalidArgumentError('expected a share kept free, from 0% to below 100%, e.g. 30% or 0.3');
  return h;
}

const BYTES: Record<string, number> = { b: 1, kb: 2 ** 10, kib: 2 ** 10, mb: 2 ** 20, mib: 2 ** 20, gb: 2 ** 30, gib: 2 ** 30, tb: 2 ** 40, tib: 2 ** 40 };

/** --node-memory: the broker node's memory, e.g. 32GiB or 16GB (binary units). */
export function parseMemoryArg(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const factor = m ? BYTES[m[2].toLowerCase()] : undefined;
  if (!m || factor === undefined || !(Number(m[1]) > 0)) throw new InvalidArgumentError('expected a memory size with a unit, e.g. 32GiB, 16GB or 512MiB');
  return Math.round(Number(m[1]) * factor);
}

export function parseFdsArg(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new InvalidArgumentError('expected a whole number of file descriptors, e.g. 1048576');
  return Number(text);
}

/** Returns the exit code: 0 with a node count, 1 when no resource could be judged, 2 for bad input. */
export async function planCommand(io: CliIo, files: string[], flags: PlanFlags): Promise<number> {
  let fleet;
  try {
    fleet = parseFleet(flags.fleet);
  } catch (e) {
    if (e instanceof FleetSpecError) throw new UserError(`--fleet: ${e.message}`, ExitCode.usage, e.hint);
    throw e;
  }
  if (files.length === 0)
    throw new UserError(
      'plan: give one or more capacity results files',
      ExitCode.usage,
      `e.g. mqbench plan --fleet "${FLEET_EXAMPLE}" results/*-capacity-*.json`,
    );
  const sources = files.map((f) => parseSource(f, 'plan'));
  const { results, problems } = await readSources(sources);
  const facts: CapacityFacts[] = [];
  // Every unreadable file, then every file that is not a capacity result, is named before exiting with 2.
  if (problems.length === 0) {
    results.forEach((r, i) => {
      const f = capacityFacts(sources[i].label ?? sources[i].path, r);
      if (typeof f === 'string') problems.push(f);
      else facts.push(f);
    });
  }
  if (problems.length > 0) {
    io.stderr.write(problems.map((p) => `mqbench: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const projection = projectFleet(fleet, facts, {
    headroom: flags.headroom ?? DEFAULT_HEADROOM,
    ...(flags.nodeMemory !== undefined ? { nodeMemoryBytes: flags.nodeMemory } : {}),
    ...(flags.nodeFds !== undefined ? { nodeFds: flags.nodeFds } : {}),
  });
  const blocks = fleetReportBlocks(projection);
  const text = flags.format === 'html' ? toHtml(blocks, new Date()) : toMarkdown(blocks);
  if (flags.out === undefined) io.stdout.write(text);
  else {
    try {
      await writeFile(flags.out, text, 'utf8');
    } catch (err) {
      throw new UserError(`cannot write ${flags.out}: ${(err as Error).message}`, ExitCode.usage);
    }
    io.stdout.write(
      `Plan: ${projection.nodes === null ? 'no node count' : `${projection.nodes} node(s), bound by ${projection.binding!.resource}`} (confidence ${projection.confidence}): ${flags.out}\n`,
    );
  }
  return projection.nodes === null ? ExitCode.runFailed : ExitCode.ok;
}

/** commander's option record of `plan` → PlanFlags. */
export function planFlagsFrom(o: Record<string, unknown>): PlanFlags {
  const { num, str } = readOptions(o);
  return {
    fleet: str('fleet') ?? '',
    headroom: num('headroom'),
    nodeMemory: num('nodeMemory'),
    nodeFds: num('nodeFds'),
    format: o.format === 'html' ? 'html' : 'markdown',
    out: str('out'),
  };
}
