import type { CnJob } from './cryptonote-messages.js';

/** Hex offset of the nonce's top byte in a CryptoNote blob (byte 42; the nonce is bytes 39–42). */
const NICEHASH_HEX_OFFSET = 84;

/**
 * A pool job cut into the pieces of its `job` line, so sending it to 256 miners costs three
 * string concatenations each: the blob with that miner's nonce byte, and that miner's id.
 */
export class CryptoNoteJobLine {
  readonly job: CnJob;
  readonly #head: string;
  readonly #mid: string;
  readonly #tail: string;
  readonly #fields: Record<string, unknown>;

  constructor(job: CnJob) {
    this.job = job;
    const {
      blob,
      id: _poolMinerId,
      ...fields
    } = job.raw as Record<string, unknown> & {
      blob: string;
    };
    this.#fields = fields;
    const rest = JSON.stringify(fields);
    this.#head = `{"jsonrpc":"2.0","method":"job","params":{"blob":"${blob.slice(0, NICEHASH_HEX_OFFSET)}`;
    this.#mid = `${blob.slice(NICEHASH_HEX_OFFSET + 2)}","id":"`;
    this.#tail = rest === '{}' ? '"}}\n' : `",${rest.slice(1)}}\n`;
  }

  /** The `job` notification for one miner. */
  line(minerId: string, nonceByte: string): string {
    return this.#head + nonceByte + this.#mid + minerId + this.#tail;
  }

  /** The job object of a login result for one miner. */
  object(minerId: string, nonceByte: string): Record<string, unknown> {
    const blob = this.job.blob;
    return {
      ...this.#fields,
      blob: blob.slice(0, NICEHASH_HEX_OFFSET) + nonceByte + blob.slice(NICEHASH_HEX_OFFSET + 2),
      id: minerId,
    };
  }
}

/** A nonce byte as two lowercase hex digits. */
export function byteHex(byte: number): string {
  return byte < 16 ? `0${byte.toString(16)}` : byte.toString(16);
}
