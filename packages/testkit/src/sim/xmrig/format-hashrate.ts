import { ansi } from '../shared/ansi.js';

/** Hashrates over the 10 s, 60 s and 15 min windows; `null` while a window is not filled. */
export type HashrateTriple = [number | null, number | null, number | null];

/** C's `isnormal`: finite, not zero, not subnormal. xmrig prints `n/a` for anything else. */
function isNormal(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) >= 2.2250738585072014e-308;
}

/**
 * One hashrate as xmrig's `Hashrate::format` prints it: `%04.2f` below 100, `%03.1f` from 100
 * up, and `n/a` for a window not yet filled — and for exactly zero, which `isnormal` rejects.
 */
export function formatHashrate(value: number | null): string {
  if (value === null || !isNormal(value)) return 'n/a';
  return value < 100 ? value.toFixed(2) : value.toFixed(1);
}

/**
 * xmrig's floor to two decimals (`Hashrate::normalize`) for the HTTP API: the API says
 * 21.75 where the speed line says 21.76 when the value is 21.759.
 */
export function normalizeHashrate(value: number): number {
  return Math.floor(value * 100) / 100;
}

/**
 * The message of the periodic speed line:
 * `speed 10s/60s/15m 23.02 n/a n/a H/s max 23.02 H/s`. xmrig switches every figure to MH/s as
 * soon as one of them reaches a million (it has no kH/s step).
 */
export function formatSpeedMessage(total: HashrateTriple, max: number): string {
  const mega = [...total, max].some((value) => value !== null && value >= 1e6);
  const scale = mega ? 1e-6 : 1;
  const unit = mega ? 'MH/s' : 'H/s';
  const [h10, h60, h15] = total.map((value) =>
    formatHashrate(value === null ? null : value * scale),
  );
  return (
    `${ansi.whiteBold('speed')} 10s/60s/15m ${ansi.cyanBold(h10 as string)}` +
    `${ansi.cyan(` ${h60} ${h15} `)}${ansi.cyanBold(unit)} max ` +
    `${ansi.cyanBold(`${formatHashrate(max * scale)} ${unit}`)}`
  );
}
