// A manager in a child process, for the orphan-reaping test: it starts one fake-process miner
// (which spawns a grandchild), prints {"minerPid","grandchildPid"} as one JSON line on stdout
// and then waits to be SIGKILLed, leaving its miner behind as an orphan.
//
// Usage: node manager-child.fixture.mjs <dataDir>
// Plain ESM importing the built packages by name (the test builds them first).
import { createManager } from '@rigkit/core';
import { fakeProcessAdapter } from '@rigkit/testkit';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: manager-child.fixture.mjs <dataDir>');
  process.exit(2);
}

const manager = createManager({
  adapters: [fakeProcessAdapter],
  dataDir,
  sampleIntervalMs: 0,
  monitor: false,
  supervision: { readyPollMs: 25, startTimeoutMs: 10_000, probeIntervalMs: 60_000 },
});
const miner = await manager.create({
  id: 'orphan',
  kind: 'fake-process',
  name: 'orphan',
  options: { spawnChild: true },
});
const grandchildPid = new Promise((resolve) => {
  miner.on('miner.log', ({ event }) => {
    if (event?.type === 'child') resolve(event.data.pid);
  });
});
await miner.start();
const line = { minerPid: miner.info().pid, grandchildPid: await grandchildPid };
process.stdout.write(`${JSON.stringify(line)}\n`);
// Wait to be killed. (An interval, not a pending promise: Node exits on an empty event loop.)
setInterval(() => {}, 1 << 30);
