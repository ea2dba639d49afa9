import type { MinerDto } from '@rigkit/client';
import type { Colors } from './color.js';
import { formatDuration } from './format.js';

/** A miner state, coloured by how good it is. */
export function paintState(state: MinerDto['state'], color: Colors): string {
  switch (state) {
    case 'running':
      return color.green(state);
    case 'starting':
    case 'stopping':
    case 'backoff':
      return color.yellow(state);
    case 'crashed':
    case 'failed':
      return color.red(state);
    default:
      return color.dim(state);
  }
}

/** How long a running miner has been up, `-` otherwise. */
export function uptime(miner: MinerDto, now: number): string {
  if (miner.startedAt === null || (miner.state !== 'running' && miner.state !== 'starting')) {
    return '-';
  }
  return formatDuration(now - miner.startedAt);
}
