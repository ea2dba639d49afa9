// Request/reply over the IPC channel of a forked child, shared by the stratum load bench's three
// processes (pool, proxy, load generator). Each process has its own event loop, so what one
// measures is not delayed by another's work; IPC carries only commands and reports.
import { fork } from 'node:child_process';

/** Wall-clock ms with sub-ms resolution, comparable across processes on one machine. */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

/**
 * @typedef {{ call: (cmd: string, args?: Record<string, unknown>) => Promise<any>,
 *   stop: () => Promise<void>, pid: number | undefined }} ChildHandle
 */

/**
 * Forks `script` and returns a handle whose `call` sends a command and resolves with the
 * child's answer (rejects with the child's error message).
 * @param {string} script
 * @param {string[]} execArgv
 * @param {string[]} [args]
 * @returns {ChildHandle}
 */
export function forkChild(script, execArgv, args = []) {
  const child = fork(script, args, {
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let nextId = 1;
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
  const waiting = new Map();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (/** @type {any} */ message) => {
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(message.error));
    else entry.resolve(message.result);
  });
  child.once('exit', (code, signal) => {
    for (const entry of waiting.values()) {
      entry.reject(new Error(`${script} exited (${code ?? signal})`));
    }
    waiting.clear();
  });
  return {
    pid: child.pid,
    call(cmd, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        // A child that does not leave on its own after its channel closed is stuck: kill it.
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Child side: answers commands with `handlers[cmd](args)`; exits when the parent disconnects.
 * @param {Record<string, (args: any) => unknown>} handlers
 * @param {() => Promise<void> | void} [onExit]
 */
export function serve(handlers, onExit) {
  process.on('message', async (/** @type {any} */ message) => {
    const handler = handlers[message.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      const result = await handler(message.args ?? {});
      process.send?.({ id: message.id, result });
    } catch (error) {
      process.send?.({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  process.once('disconnect', async () => {
    await onExit?.();
    process.exit(0);
  });
}

/**
 * Quantile of an ascending sorted array (nearest rank), rounded to 0.1 ms.
 * @param {ArrayLike<number>} sorted
 * @param {number} q
 */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round1(sorted[index] ?? Number.NaN);
}

/** @param {number} value */
export function round1(value) {
  return Math.round(value * 10) / 10;
}

/**
 * The `markCpu` / `cpu` commands every child answers: CPU time and event-loop utilisation
 * since the last mark.
 */
export function cpuCommands() {
  let cpuAtMark = process.cpuUsage();
  let eluAtMark = performance.eventLoopUtilization();
  return {
    markCpu() {
      cpuAtMark = process.cpuUsage();
      eluAtMark = performance.eventLoopUtilization();
      return null;
    },
    cpu() {
      const cpu = process.cpuUsage(cpuAtMark);
      const elu = performance.eventLoopUtilization(eluAtMark);
      return { cpuMs: (cpu.user + cpu.system) / 1000, elu: elu.utilization };
    },
  };
}
