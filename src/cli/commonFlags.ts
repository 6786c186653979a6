/**
 * What the command declarations share: the flags several commands have (each command says in its own words
 * what the flag means for it) and the callback that takes a command's exit code.
 */
import { Option, type Command } from 'commander';
import { DEFAULT_DRIVER, DRIVER_NAMES } from '../driver/registry.js';
import { parseDurationArg, parseThresholdArg, parseWorkersArg } from './args.js';

/** Takes the exit code of the command that ran. */
export type Done = (code: number) => void;

/** The help of --driver for the commands that run load. */
export const DRIVER_HELP = 'MQTT client: lean (default) or mqttjs (mqtt.js, to cross-check)';

/** Collects a repeatable string option into a list. */
export const repeatable = (v: string, prev: string[] = []): string[] => [...prev, v];

const FLAGS = {
  duration: (help: string) => new Option('-d, --duration <duration>', help).argParser(parseDurationArg),
  workers: (help: string) => new Option('-w, --workers <n>', help).argParser(parseWorkersArg),
  out: (help: string) => new Option('-o, --out <file>', help),
  threshold: (help: string) => new Option('--threshold <expr>', help).argParser(parseThresholdArg),
  driver: (help: string) => new Option('--driver <name>', help).choices(DRIVER_NAMES).default(DEFAULT_DRIVER),
  verdictFail: (help: string) => new Option('--no-verdict-fail', help),
  junit: (help: string) => new Option('--junit <file>', help),
  csv: (help: string) => new Option('--csv <file>', help),
} satisfies Record<string, (help: string) => Option>;

export type CommonFlag = keyof typeof FLAGS;

/** Adds the common flags given a help text, in one fixed order (the order of FLAGS). */
export function withCommonFlags(cmd: Command, help: Partial<Record<CommonFlag, string>>): Command {
  for (const name of Object.keys(FLAGS) as CommonFlag[]) {
    const text = help[name];
    if (text !== undefined) cmd.addOption(FLAGS[name](text));
  }
  return cmd;
}
