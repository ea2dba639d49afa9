const HASH_UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s'] as const;

function threeDigits(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A hashrate in H/s for humans: `987 H/s`, `1.23 kH/s`, `45.6 MH/s`; `-` when unknown. */
export function formatHashrate(hashesPerSecond: number | null | undefined): string {
  if (hashesPerSecond === null || hashesPerSecond === undefined) return '-';
  if (!Number.isFinite(hashesPerSecond)) return '-';
  if (hashesPerSecond === 0) return '0 H/s';
  let value = Math.abs(hashesPerSecond);
  let unit = 0;
  while (value >= 999.5 && unit < HASH_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const sign = hashesPerSecond < 0 ? '-' : '';
  return `${sign}${unit === 0 && Number.isInteger(value) ? String(value) : threeDigits(value)} ${HASH_UNITS[unit]}`;
}

/** A duration for humans, two units at most: `45s`, `3m 12s`, `2h 05m`, `3d 4h`, `15m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  const two = (major: string, minor: number, unit: string, pad = true) =>
    minor === 0 ? major : `${major} ${pad ? String(minor).padStart(2, '0') : minor}${unit}`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return two(`${m}m`, s % 60, 's');
  const h = Math.floor(m / 60);
  if (h < 24) return two(`${h}h`, m % 60, 'm');
  const d = Math.floor(h / 24);
  return two(`${d}d`, h % 24, 'h', false);
}

/** Bytes for humans: `512 B`, `1.5 MiB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Local wall-clock time `HH:MM:SS`. */
export function formatClock(time: number): string {
  const d = new Date(time);
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

/** Local date and time `YYYY-MM-DD HH:MM:SS`. */
export function formatDateTime(time: number): string {
  const d = new Date(time);
  const date = [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, '0'))
    .join('-');
  return `${date} ${formatClock(time)}`;
}
