/** The machine record a bench report is rendered with, in tests of the bench's Markdown (load at the end: `loadEnd`). */
export function benchMachine(loadEnd = 1) {
  return {
    cpuModel: 'cpu',
    cores: 2,
    ramGiB: 1,
    os: 'os',
    node: 'v20',
    mosquitto: '2',
    loadAvgStart: [1, 1, 1],
    loadAvgEnd: [loadEnd, loadEnd, loadEnd],
    ephemeralPorts: '1–2',
  };
}
