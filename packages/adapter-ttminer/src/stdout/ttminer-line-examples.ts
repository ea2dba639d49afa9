/**
 * The canonical TT-Miner stdout lines: the exact formats `parseTtminerLine()` is tested
 * against, for a simulator to print verbatim (with its own numbers). Real TT-Miner output
 * varies by version; the parser is tolerant beyond these (see its doc comment), but these are
 * the contract.
 *
 * Every line but the banner starts with a `HH:MM:SS.mmm` timestamp and one space. `<i>` is the
 * CUDA device index as launched (`-d`), rates take one of `H/s`, `kH/s`, `MH/s`, `GH/s`.
 */
export const TTMINER_LINE_TEMPLATES = Object.freeze({
  /** First line of a run, and the output of `-v`. No event. */
  banner: 'TT-Miner <version>',
  /** → `pool.connected` `{ pool }` */
  poolConnected: '<HH:MM:SS.mmm> Connected to <host>:<port>',
  /** → `job` `{ pool, diff }`; the difficulty may carry a K/M/G/T suffix. */
  newJob: '<HH:MM:SS.mmm> New job from <host>:<port> diff <difficulty>',
  /** → `share.accepted` `{ gpu, latencyMs }` */
  shareAccepted: '<HH:MM:SS.mmm> GPU <i>: Share accepted (<ms> ms)',
  /** → `share.rejected` `{ gpu, reason, latencyMs }` */
  shareRejected: '<HH:MM:SS.mmm> GPU <i>: Share rejected: "<reason>" (<ms> ms)',
  /** → `gpu.hashrate` `{ gpu, hashrate, temperatureC, fanPercent[, powerW] }` (H/s) */
  gpuHashrate: '<HH:MM:SS.mmm> GPU <i>: <rate> <unit>, <temp>°C, fan <fan>%[, <watts> W]',
  /** → `gpu.temperature` `{ gpu, temperatureC, fanPercent }` */
  gpuTemperature: '<HH:MM:SS.mmm> GPU <i>: temperature <temp>°C, fan <fan>%',
  /** → `speed` `{ hashrate }` (H/s) */
  totalHashrate: '<HH:MM:SS.mmm> Total: <rate> <unit>',
  /** → `error` `{ gpu, message }` */
  gpuLost: '<HH:MM:SS.mmm> ERROR: GPU <i> lost',
  /** → `error` `{ message }` */
  poolFailed: '<HH:MM:SS.mmm> Failed to connect to <host>:<port>',
} as const);

/** One example of each of {@link TTMINER_LINE_TEMPLATES}, as a simulator prints it. */
export const TTMINER_LINE_EXAMPLES = Object.freeze({
  banner: 'TT-Miner 2024.3.2',
  poolConnected: '12:00:01.123 Connected to pool.example:4444',
  newJob: '12:00:01.250 New job from pool.example:4444 diff 1.07G',
  shareAccepted: '12:00:05.010 GPU 0: Share accepted (23 ms)',
  shareRejected: '12:00:06.020 GPU 1: Share rejected: "Low difficulty share" (31 ms)',
  gpuHashrate: '12:00:10.000 GPU 0: 14.68 MH/s, 53°C, fan 90%',
  gpuHashrateWithPower: '12:00:10.000 GPU 1: 14.51 MH/s, 50°C, fan 90%, 125 W',
  gpuTemperature: '12:00:10.001 GPU 0: temperature 53°C, fan 90%',
  totalHashrate: '12:00:10.002 Total: 29.19 MH/s',
  gpuLost: '12:00:20.000 ERROR: GPU 1 lost',
  poolFailed: '12:00:30.000 Failed to connect to pool.example:4444',
} as const);

/** Names of {@link TTMINER_LINE_EXAMPLES}. */
export type TtminerLineExample = keyof typeof TTMINER_LINE_EXAMPLES;
