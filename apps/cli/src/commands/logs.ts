import { setTimeout as sleep } from 'node:timers/promises';
import {
  type EventStream,
  type EventStreamStatus,
  type LogEntryDto,
  LogEntrySchema,
  type RigkitClient,
  type RigkitEventMessage,
} from '@rigkit/client';
import type { CommandContext } from '../context.js';
import { formatClock } from '../output/format.js';

export interface LogsOptions {
  follow?: boolean;
  tail?: number;
  /** Poll interval while the event stream is not available. Default 1000 ms. */
  pollMs?: number;
}

/** Most lines one page of the logs route returns. */
const PAGE = 1000;
/** Most events held while missed lines are fetched; beyond it they are re-fetched instead. */
const MAX_PENDING = 5000;

/** A log line for a terminal: time, the stream when it is not stdout, the text. */
export function formatLogLine(entry: LogEntryDto, ctx: CommandContext): string {
  const c = ctx.color;
  const tag =
    entry.stream === 'stderr'
      ? `${c.red('stderr')} `
      : entry.stream === 'rigkit'
        ? `${c.cyan('rigkit')} `
        : '';
  return `${c.dim(formatClock(entry.time))} ${tag}${entry.text}${entry.truncated ? c.dim(' …[truncated]') : ''}`;
}

/**
 * `rigkit logs <id> [-f] [--tail N]`: the last lines; with `-f`, then every new line until
 * Ctrl-C (exit 0). Following uses the event stream (filtered to this miner's `miner.log`),
 * fills gaps from `logs?since=<seq>` after every (re)subscription, and polls that route
 * while the stream is down. `--json`: one document, or with `-f` one JSON object per line.
 */
export async function logs(ctx: CommandContext, id: string, opts: LogsOptions): Promise<void> {
  const client = await ctx.client();
  const tail = opts.tail ?? 100;
  const first = await client.logs(id, { tail });
  if (!opts.follow) {
    if (ctx.json) {
      ctx.printJson({ minerId: id, ...first });
      return;
    }
    for (const entry of first.entries) ctx.out(formatLogLine(entry, ctx));
    return;
  }
  await follow(ctx, client, id, first.entries, first.lastSeq, opts.pollMs ?? 1000);
}

async function follow(
  ctx: CommandContext,
  client: RigkitClient,
  id: string,
  initial: readonly LogEntryDto[],
  lastSeq: number,
  pollMs: number,
): Promise<void> {
  const stop = new AbortController();
  const interrupt = ctx.io.interrupt?.();
  const onInterrupt = () => stop.abort();
  if (interrupt?.aborted) stop.abort();
  else interrupt?.addEventListener('abort', onInterrupt, { once: true });

  let cursor = lastSeq;
  const print = (entry: LogEntryDto) => {
    cursor = entry.seq;
    if (ctx.json) ctx.out(JSON.stringify({ minerId: id, ...entry }));
    else ctx.out(formatLogLine(entry, ctx));
  };
  for (const entry of initial) print(entry);
  cursor = lastSeq;

  let backfilling: Promise<void> | undefined;
  let pending: LogEntryDto[] = [];
  let overflow = false;
  let readFailing = false;

  const onEntry = (entry: LogEntryDto, acceptGap = false) => {
    if (backfilling) {
      if (pending.length < MAX_PENDING) pending.push(entry);
      else overflow = true;
      return;
    }
    if (entry.seq <= cursor) return; // already printed (tail, backfill or a duplicate)
    if (entry.seq === cursor + 1 || acceptGap) {
      print(entry);
      return;
    }
    pending.push(entry);
    backfill();
  };

  /** Fetches every line after `cursor`, then replays what arrived meanwhile. */
  const backfill = () => {
    if (backfilling || stop.signal.aborted) return;
    backfilling = (async () => {
      try {
        for (let pages = 0; pages < 100; pages++) {
          overflow = false;
          let page = await client.logs(id, { since: cursor, tail: PAGE });
          if (page.lastSeq < cursor) {
            ctx.note('the log restarted (server restarted?); following it from its start');
            cursor = 0;
            page = await client.logs(id, { since: 0, tail: PAGE });
          }
          const firstNew = page.entries[0];
          if (firstNew && firstNew.seq > cursor + 1) {
            ctx.note(`${firstNew.seq - cursor - 1} lines were dropped before they could be read`);
          }
          for (const entry of page.entries) if (entry.seq > cursor) print(entry);
          if (!overflow && (page.entries.length < PAGE || cursor >= page.lastSeq)) break;
        }
        if (readFailing) ctx.progress(`reading ${id}'s log again`);
        readFailing = false;
      } catch (error) {
        // Said once per outage, not on every poll.
        if (!stop.signal.aborted && !readFailing) {
          ctx.note(`could not read ${id}'s log: ${(error as Error).message}; retrying`);
        }
        readFailing = true;
      } finally {
        const queued = pending;
        pending = [];
        backfilling = undefined;
        for (const entry of queued) onEntry(entry, true);
      }
    })();
  };

  let announcedLoss = false;
  const onEvent = (message: RigkitEventMessage) => {
    if (message.event === 'miner.removed' && message.data.minerId === id) {
      ctx.note(`${id} was removed`);
      stop.abort();
      return;
    }
    if (message.event !== 'miner.log' || message.data.minerId !== id) return;
    const parsed = LogEntrySchema.safeParse(message.data.entry);
    if (parsed.success) onEntry(parsed.data);
  };
  const onStatus = (status: EventStreamStatus) => {
    switch (status.state) {
      case 'subscribed':
        if (status.reconnected) ctx.progress('event stream reconnected');
        announcedLoss = false;
        backfill(); // lines between the tail (or the loss) and now
        break;
      case 'disconnected':
        if (!announcedLoss) {
          announcedLoss = true;
          ctx.progress(
            `event stream lost${status.error ? ` (${status.error.message})` : ''}; reconnecting, polling meanwhile`,
          );
        }
        break;
      case 'closed':
        if (status.error && !stop.signal.aborted) {
          ctx.note(
            `event stream unavailable (${status.error.message}); polling every ${pollMs} ms`,
          );
        }
        break;
      case 'server-error':
        ctx.note(`event stream: ${status.error.message}`);
        break;
      default:
        break;
    }
  };

  let stream: EventStream | undefined;
  try {
    stream = client.events({
      miners: [id],
      events: ['miner.log', 'miner.removed'],
      onEvent,
      onStatus,
      signal: stop.signal,
    });
    // Poll while the stream is not subscribed (connecting, reconnecting, or closed for good).
    while (!stop.signal.aborted) {
      try {
        await sleep(pollMs, undefined, { signal: stop.signal });
      } catch {
        break; // interrupted
      }
      if (stream.state !== 'subscribed') backfill();
    }
  } finally {
    interrupt?.removeEventListener('abort', onInterrupt);
    stop.abort();
    await stream?.close();
    await backfilling;
  }
}
