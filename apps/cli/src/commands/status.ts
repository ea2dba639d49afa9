import type { MinerDto } from '@rigkit/client';
import type { CommandContext } from '../context.js';
import { formatClock, formatDateTime, formatDuration, formatHashrate } from '../output/format.js';
import { paintState, uptime } from '../output/miner-view.js';
import { renderTable } from '../output/table.js';

/** `rigkit status [id]`: one miner in detail, or the server and a summary of all miners. */
export async function status(ctx: CommandContext, id: string | undefined): Promise<void> {
  if (id !== undefined) {
    await minerStatus(ctx, id);
    return;
  }
  const client = await ctx.client();
  const target = await ctx.target();
  const [health, ready, miners] = await Promise.all([
    client.health(),
    client.ready(),
    client.listMiners(),
  ]);
  const byState: Record<string, number> = {};
  let hashrate = 0;
  for (const m of miners) {
    byState[m.state] = (byState[m.state] ?? 0) + 1;
    if (m.state === 'running') hashrate += m.lastSample?.hashrate ?? 0;
  }
  if (ctx.json) {
    ctx.printJson({
      server: { url: target.url, dataDir: target.dataDir, health, ready },
      miners: { total: miners.length, byState, hashrate },
    });
    return;
  }
  const c = ctx.color;
  const readiness = ready.ready
    ? c.green('ready')
    : c.red(
        `not ready (${Object.entries(ready.checks)
          .filter(([, ok]) => !ok)
          .map(([name]) => name)
          .join(', ')})`,
      );
  const counts = Object.entries(byState)
    .map(([state, n]) => `${n} ${paintState(state as MinerDto['state'], c)}`)
    .join(', ');
  ctx.io.stdout(
    [
      `server    ${target.url}  ${c.green(health.status)}, up ${formatDuration(health.uptimeSeconds * 1000)}, ${readiness}`,
      `data dir  ${target.dataDir}`,
      `miners    ${miners.length} total${counts ? `: ${counts}` : ''}`,
      `hashrate  ${formatHashrate(hashrate)}`,
      '',
    ].join('\n'),
  );
}

async function minerStatus(ctx: CommandContext, id: string): Promise<void> {
  const client = await ctx.client();
  const miner = await client.getMiner(id);
  if (ctx.json) {
    ctx.printJson(miner);
    return;
  }
  const c = ctx.color;
  const now = ctx.io.now();
  const s = miner.lastSample;
  const lines: [string, string][] = [
    [
      'state',
      `${paintState(miner.state, c)} (generation ${miner.generation}${miner.pid === null ? '' : `, pid ${miner.pid}`})`,
    ],
    ['uptime', uptime(miner, now)],
    ['restarts', `${miner.recentRestarts} recently`],
    ['autostart', miner.autostart ? 'yes' : 'no'],
  ];
  if (miner.paused) lines.push(['paused', c.yellow('yes, by the temperature guard')]);
  if (miner.lastExit) {
    const e = miner.lastExit;
    const how = e.signal ? `signal ${e.signal}` : `code ${e.code ?? '?'}`;
    lines.push(['last exit', `${how} at ${formatDateTime(e.time)}`]);
  }
  if (s) {
    const windows = [
      ['10s', s.hashrate10s],
      ['60s', s.hashrate60s],
      ['15m', s.hashrate15m],
    ]
      .filter(([, v]) => typeof v === 'number')
      .map(([label, v]) => `${label} ${formatHashrate(v as number)}`);
    lines.push([
      'hashrate',
      `${formatHashrate(s.hashrate)}${windows.length ? c.dim(` (${windows.join(' · ')})`) : ''}  ${c.dim(`at ${formatClock(s.time)}`)}`,
    ]);
    if (s.shares) {
      const extra = [
        s.shares.stale === undefined ? '' : ` · ${s.shares.stale} stale`,
        s.shares.invalid === undefined ? '' : ` · ${s.shares.invalid} invalid`,
      ].join('');
      lines.push([
        'shares',
        `${s.shares.accepted} accepted · ${s.shares.rejected} rejected${extra}`,
      ]);
    }
    if (s.pool) lines.push(['pool', s.pool]);
    if (s.algo) lines.push(['algo', s.algo]);
    if (s.difficulty !== undefined) lines.push(['difficulty', String(s.difficulty)]);
    for (const warning of s.warnings ?? []) lines.push(['warning', c.yellow(warning)]);
  }
  let text = `${c.bold(miner.id)}  ${miner.name}  ${c.dim(`(${miner.kind})`)}\n`;
  for (const [label, value] of lines) text += `  ${label.padEnd(11)}${value}\n`;
  const devices = s?.devices ?? [];
  if (devices.length > 0) {
    text += `\n${renderTable(
      [
        { header: 'DEVICE' },
        { header: 'NAME' },
        { header: 'HASHRATE', right: true },
        { header: 'TEMP', right: true },
        { header: 'FAN', right: true },
        { header: 'POWER', right: true },
      ],
      devices.map((d) => [
        d.id,
        d.name ?? '',
        formatHashrate(d.hashrate),
        d.temperatureC === undefined ? '-' : `${d.temperatureC} °C`,
        d.fanPercent === undefined ? '-' : `${d.fanPercent} %`,
        d.powerW === undefined ? '-' : `${d.powerW} W`,
      ]),
    )}`;
  }
  ctx.io.stdout(text);
}
