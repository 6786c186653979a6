import { cpus, hostname, platform, release } from 'node:os';

export interface EnvironmentInfo {
  node: string;
  os: string;
  cpus: number;
  cpuModel: string;
  host: string;
}

/** What machine produced a result: disclosed in every results file. */
export function describeEnvironment(): EnvironmentInfo {
  const cpu = cpus();
  return { node: process.version, os: `${platform()} ${release()}`, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', host: hostname() };
}
