import type { JsonValue } from './json-text.js';
import type { MinerSnapshot } from './miner-snapshot.js';
import { hashrateJson } from './summary.js';

/**
 * `GET /2/backends`: the CPU backend with per-thread hashrate triples (as `2_backends.json`),
 * or, before it runs, the idle entry of `2_backends_no_pool.json` (nulls, no `threads`).
 */
export function buildBackends(snapshot: MinerSnapshot): JsonValue {
  const { backend } = snapshot;
  if (!backend) {
    return [
      {
        type: 'cpu',
        enabled: true,
        algo: null,
        profile: null,
        'hw-aes': true,
        priority: -1,
        msr: false,
        asm: 'ryzen',
        'argon2-impl': null,
        hugepages: [0, 0],
        memory: 0,
      },
    ];
  }
  return [
    {
      type: 'cpu',
      enabled: true,
      algo: snapshot.algo,
      profile: '*',
      'hw-aes': true,
      priority: backend.priority,
      msr: false,
      asm: 'ryzen',
      'argon2-impl': 'AVX-512F',
      hugepages: [...backend.hugePages],
      memory: backend.memory,
      hashrate: hashrateJson(backend.reading.total),
      threads: backend.reading.threads.map((triple) => ({
        intensity: 1,
        affinity: -1,
        av: 1,
        hashrate: hashrateJson(triple),
      })),
    },
  ];
}
