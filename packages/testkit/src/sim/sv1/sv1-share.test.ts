import { describe, expect, it } from 'vitest';
import { DIFF1_TARGET, type StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { sha256d } from './sha256d.js';
import {
  buildCoinbase,
  buildSv1Header,
  difficultyToExactTarget,
  hashMeetsTarget,
  hashToBigInt,
  merkleRootFromBranch,
  prepareSv1Job,
  rollVersion,
  stratumPrevHashToHeader,
  sv1MerkleRoot,
  sv1Target,
  verifySv1Share,
} from './sv1-share.js';

/** Hex as shown by block explorers (byte-reversed) → internal order. */
const internal = (displayHex: string) => Buffer.from(displayHex, 'hex').reverse();
const display = (hash: Buffer) => Buffer.from(hash).reverse().toString('hex');

const GENESIS_HASH = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
const GENESIS_MERKLE = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';
const GENESIS_COINBASE =
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d' +
  '0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66' +
  '207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe55' +
  '48271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba' +
  '0b8d578a4c702b6bf11d5fac00000000';

const BLOCK1_HASH = '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048';
const BLOCK1_COINBASE =
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0704ffff001d' +
  '0104ffffffff0100f2052a0100000043410496b538e853519c726a2c91e61ec11600ae1390813a627c66fb8be7947b' +
  'e63c52da7589379515d4e0a604f8141781e62294721166bf621e73a82cbf2342c858eeac00000000';

/** Stratum's prevhash, derived the other way round: the display hash's 4-byte words, reversed. */
function stratumPrevHash(displayHex: string): string {
  const words = displayHex.match(/.{8}/g) ?? [];
  return words.reverse().join('');
}

describe('Bitcoin block headers', () => {
  it('hashes the genesis header, built by hand, to the genesis block hash', () => {
    const header = Buffer.concat([
      Buffer.from('01000000', 'hex'), // version 1, little-endian
      Buffer.alloc(32), // no previous block
      internal(GENESIS_MERKLE),
      Buffer.from('29ab5f49', 'hex'), // 1231006505
      Buffer.from('ffff001d', 'hex'), // bits 0x1d00ffff
      Buffer.from('1dac2b7c', 'hex'), // nonce 2083236893
    ]);
    expect(header).toHaveLength(80);
    expect(display(sha256d(header))).toBe(GENESIS_HASH);
    // The same header from the builder.
    const built = buildSv1Header({
      version: 1,
      prevHash: Buffer.alloc(32),
      merkleRoot: internal(GENESIS_MERKLE),
      ntime: 1231006505,
      nbits: 0x1d00ffff,
      nonce: 2083236893,
    });
    expect(built.equals(header)).toBe(true);
  });

  it('takes the genesis coinbase, split anywhere, to its merkle root', () => {
    const job: StratumV1Job = {
      jobId: 'g',
      prevHash: '0'.repeat(64),
      coinb1: GENESIS_COINBASE.slice(0, 90),
      coinb2: GENESIS_COINBASE.slice(106),
      merkleBranch: [],
      version: '00000001',
      nbits: '1d00ffff',
      ntime: '495fab29',
      cleanJobs: true,
    };
    const coinbase = buildCoinbase(
      job,
      GENESIS_COINBASE.slice(90, 98),
      GENESIS_COINBASE.slice(98, 106),
    );
    expect(coinbase.toString('hex')).toBe(GENESIS_COINBASE);
    expect(display(merkleRootFromBranch(sha256d(coinbase), []))).toBe(GENESIS_MERKLE);
  });

  it('verifies block 1 as a Stratum share: prevhash word order, LE fields, difficulty 1', () => {
    const job: StratumV1Job = {
      jobId: 'b1',
      prevHash: stratumPrevHash(GENESIS_HASH),
      coinb1: BLOCK1_COINBASE.slice(0, 100),
      coinb2: BLOCK1_COINBASE.slice(112),
      merkleBranch: [],
      version: '00000001',
      nbits: '1d00ffff',
      ntime: (1231469665).toString(16),
      cleanJobs: true,
    };
    expect(stratumPrevHashToHeader(job.prevHash).equals(internal(GENESIS_HASH))).toBe(true);
    const share = {
      extranonce2: BLOCK1_COINBASE.slice(108, 112),
      ntime: job.ntime,
      nonce: (2573394689).toString(16),
    };
    const context = { extranonce1: BLOCK1_COINBASE.slice(100, 108), target: sv1Target(1) };
    const verdict = verifySv1Share(job, share, context);
    expect(display(verdict.hash)).toBe(BLOCK1_HASH);
    expect(verdict.valid).toBe(true);
    // Block 1 is about difficulty 1.9: at 2 it is not a share; one nonce off, it is not either.
    expect(verifySv1Share(job, share, { ...context, target: sv1Target(2) }).valid).toBe(false);
    expect(verifySv1Share(job, { ...share, nonce: '9962e302' }, context).valid).toBe(false);
  });

  it('folds a merkle branch in order: block 170 (two transactions)', () => {
    const coinbaseTxid = 'b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082';
    const secondTxid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    const root = merkleRootFromBranch(internal(coinbaseTxid), [internal(secondTxid)]);
    expect(display(root)).toBe('7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff');
    // Order matters: the other way round is a different root.
    const swapped = merkleRootFromBranch(internal(secondTxid), [internal(coinbaseTxid)]);
    expect(swapped.equals(root)).toBe(false);
  });

  it('builds the merkle root of a prepared job like the step-by-step functions', () => {
    const branch = ['11'.repeat(32), '22'.repeat(32), '33'.repeat(32)];
    const job: StratumV1Job = {
      jobId: 'x',
      prevHash: 'ab'.repeat(32),
      coinb1: 'aabb',
      coinb2: 'ccdd',
      merkleBranch: branch,
      version: '20000000',
      nbits: '1703a30c',
      ntime: '66000000',
      cleanJobs: false,
    };
    let expected = sha256d(Buffer.from('aabb0102030405060708ccdd', 'hex'));
    for (const hash of branch)
      expected = sha256d(Buffer.concat([expected, Buffer.from(hash, 'hex')]));
    expect(sv1MerkleRoot(prepareSv1Job(job), '01020304', '05060708').equals(expected)).toBe(true);
  });
});

describe('share targets', () => {
  it('compares hashes as little-endian 256-bit numbers, deciding ties on the top word fully', () => {
    const target = sv1Target(1);
    expect(target.value).toBe(DIFF1_TARGET);
    expect(target.top32).toBe(0);
    const atTarget = Buffer.from(DIFF1_TARGET.toString(16).padStart(64, '0'), 'hex').reverse();
    expect(hashToBigInt(atTarget)).toBe(DIFF1_TARGET);
    expect(hashMeetsTarget(atTarget, target)).toBe(true);
    const above = Buffer.from(atTarget);
    above[0] = 1; // least significant byte: just above the target
    expect(hashMeetsTarget(above, target)).toBe(false);
    const high = Buffer.alloc(32);
    high[31] = 1;
    expect(hashMeetsTarget(high, target)).toBe(false);
    expect(hashMeetsTarget(Buffer.alloc(32), target)).toBe(true);
  });

  it('handles fractional difficulties: 1/65536 lets about one hash in 65536 through', () => {
    const target = sv1Target(1 / 65536);
    expect(target.top32).toBe(0xffff);
    const justUnder = Buffer.alloc(32, 0xff);
    justUnder.writeUInt32LE(0xfffe, 28);
    expect(hashMeetsTarget(justUnder, target)).toBe(true);
    justUnder.writeUInt32LE(0x10000, 28);
    expect(hashMeetsTarget(justUnder, target)).toBe(false);
  });

  it('computes targets exactly, also for difficulties that are not powers of two', () => {
    expect(difficultyToExactTarget(1 / 65536)).toBe(DIFF1_TARGET * 65536n);
    expect(difficultyToExactTarget(1024)).toBe(DIFF1_TARGET / 1024n);
    expect(difficultyToExactTarget(0.75)).toBe((DIFF1_TARGET * 4n) / 3n);
    expect(difficultyToExactTarget(3)).toBe(DIFF1_TARGET / 3n);
    // A tiny difficulty saturates at the largest 256-bit number: every hash is a share.
    expect(difficultyToExactTarget(2 ** -40)).toBe((1n << 256n) - 1n);
    expect(sv1Target(2 ** -40).top32).toBe(0xffffffff);
    expect(() => difficultyToExactTarget(0)).toThrow(RangeError);
    expect(() => difficultyToExactTarget(Number.NaN)).toThrow(RangeError);
  });

  it('rolls the version under the BIP 310 mask only', () => {
    const mask = 0x1fffe000;
    expect(rollVersion(0x20000000, 0x00002000, mask)).toBe(0x20002000);
    // Bits outside the mask are ignored; the job's bits outside it stay.
    expect(rollVersion(0x20000000, 0xe0001fff, mask)).toBe(0x20000000);
    expect(rollVersion(0x20000004, 0x1fffe000, mask)).toBe(0x3fffe004);
  });
});
