import { freemem, hostname, loadavg, totalmem } from 'node:os';
import { ansi } from '../shared/ansi.js';
import { deriveSeed, mulberry32, type RandomSource } from '../shared/mulberry32.js';
import { ShareScheduler } from '../shared/share-scheduler.js';
import { type CancelTimer, SimClock } from '../shared/sim-clock.js';
import type { StopSignal } from '../shared/simulator-main.js';
import { buildBackends } from './backends.js';
import { formatHashrate, formatSpeedMessage } from './format-hashrate.js';
import { HashrateModel } from './hashrate-model.js';
import { XmrigHttpApi } from './http-api.js';
import type { JsonValue } from './json-text.js';
import type { MinerSnapshot } from './miner-snapshot.js';
import { NetworkState, NO_DIFFICULTY } from './network-state.js';
import { formatPoolAddress } from './pool-url.js';
import { makeNonce, makeResult } from './share-result.js';
import { type KeyInput, listenToStdinKeys, type XmrigKey } from './stdin-keys.js';
import type { StratumJob } from './stratum-job.js';
import { buildSummary } from './summary.js';
import { uvErrorMessage } from './uv-error-message.js';
import { bannerLines } from './xmrig-banner.js';
import { XMRIG_BUILD_INFO } from './xmrig-build-info.js';
import { buildConfigJson, mergeConfig } from './xmrig-config-json.js';
import { XmrigLog } from './xmrig-log.js';
import { XmrigNetwork } from './xmrig-network.js';
import type { XmrigSimOptions } from './xmrig-sim-options.js';

/** The process the simulator runs in (the real one in the bin; tests may pass their own). */
export interface SimulatorIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** `null`: no keys (stdin not readable). */
  stdin: KeyInput | null;
  exit(code: number): void;
}

export type { StopSignal };

/** RandomX scratchpad per thread, in bytes. */
const SCRATCHPAD_BYTES = 2 * 1024 * 1024;
/** Huge pages of the RandomX cache (light mode) and of the dataset (fast mode). */
const CACHE_PAGES = 128;
const DATASET_PAGES = 1168;
/** Simulated start-up durations (what xmrig spends allocating and initialising RandomX). */
const ALLOCATE_MS = 100;
const DATASET_FAST_MS = 1000;
const DATASET_LIGHT_MS = 300;

type BackendState = 'idle' | 'starting' | 'running' | 'stopped';

/**
 * The simulated xmrig: wires the log, the hashrate model, the pool connection (or the
 * benchmark), the share scheduler, the HTTP API, stdin keys and the fault injection together,
 * and reproduces xmrig's sequence of log lines:
 *
 * banner → (`net use pool`, `net new job`) → RandomX init → `cpu READY` → speed lines every
 * print time, `cpu accepted/rejected` per share → `signal SIGTERM received, exiting` and
 * `cpu stopped (N ms)`.
 */
export class XmrigSimulator {
  readonly #options: XmrigSimOptions;
  readonly #io: SimulatorIo;
  readonly #clock: SimClock;
  readonly #log: XmrigLog;
  readonly #state = new NetworkState();
  readonly #scheduler: ShareScheduler;
  readonly #nonceRandom: RandomSource;
  readonly #resultRandom: RandomSource;
  readonly #rejectRandom: RandomSource;
  readonly #id: string;
  readonly #pending = new Map<number, { diff: bigint; actualDiff: bigint }>();
  #network: XmrigNetwork | undefined;
  #api: XmrigHttpApi | undefined;
  #httpPort = 0;
  #model: HashrateModel | undefined;
  #modelStartS = 0;
  #backend: BackendState = 'idle';
  #backendStarts = 0;
  #job: StratumJob | undefined;
  #nicehash = false;
  #nonceCounter = 0;
  #seedHash = '';
  #paused = false;
  #zeroed = false;
  #benchDone = false;
  #hung = false;
  #exiting = false;
  /** The last whole model second processed by {@link #catchUp}. */
  #tickedSecond = 0;
  #cancelTick: CancelTimer | undefined;
  #stopKeys: (() => void) | undefined;
  #configOverride: Record<string, unknown> = {};
  #keepAlive: NodeJS.Timeout | undefined;

  constructor(options: XmrigSimOptions, io: SimulatorIo) {
    this.#options = options;
    this.#io = io;
    this.#clock = new SimClock(options.timeScale);
    this.#log = new XmrigLog({ colors: options.colors, write: (text) => io.stdout.write(text) });
    // Independent streams: an extra share must not change the hashrate curve, and so on.
    this.#nonceRandom = mulberry32(deriveSeed(options.seed, 2));
    this.#resultRandom = mulberry32(deriveSeed(options.seed, 3));
    this.#rejectRandom = mulberry32(deriveSeed(options.seed, 4));
    this.#scheduler = new ShareScheduler({
      random: mulberry32(deriveSeed(options.seed, 1)),
      clock: this.#clock,
      onShare: () => this.#onShare(),
    });
    this.#id =
      options.apiId ??
      deriveSeed(options.seed, 5).toString(16).padStart(8, '0') +
        deriveSeed(options.seed, 6).toString(16).padStart(8, '0');
  }

  /** Starts everything: API, banner, pool or benchmark, keys and faults. */
  async start(configErrors: readonly string[] = []): Promise<void> {
    // xmrig never exits on its own; a dead pool and closed stdin must not end the process.
    this.#keepAlive = setInterval(() => {}, 1 << 30);
    for (const message of configErrors) this.#log.info('config', message);
    const { http } = this.#options;
    let bindError: NodeJS.ErrnoException | undefined;
    if (http.enabled) {
      this.#httpPort = http.port;
      this.#api = this.#createApi();
      try {
        this.#httpPort = await this.#api.listen();
      } catch (error) {
        bindError = error as NodeJS.ErrnoException;
        this.#api = undefined;
      }
    }
    for (const line of bannerLines({
      hugePages: this.#options.hugePages,
      memory: { usedBytes: totalmem() - freemem(), totalBytes: totalmem() },
      donateLevel: this.#options.donateLevel,
      pools: this.#poolDescriptions(),
      http: http.enabled ? { host: http.host, port: this.#httpPort } : null,
      colors: this.#options.colors,
    })) {
      this.#log.raw(line);
    }
    if (bindError) {
      this.#log.info(
        'http',
        `${ansi.whiteBold(`${http.host}:${this.#httpPort}`)} ${ansi.red('bind error: ')}${ansi.redBold(`"${uvErrorMessage(bindError)}"`)}`,
      );
    }
    if (this.#io.stdin) {
      this.#stopKeys = listenToStdinKeys(
        this.#io.stdin,
        (key) => this.#onKey(key),
        () => this.stop('SIGINT'),
      );
    }
    this.#startFaults();
    const { bench } = this.#options;
    if (bench) {
      this.#state.setActive('benchmark:3333', null, null, null, this.#clock.nowMs());
      this.#state.setJob(NO_DIFFICULTY, bench.algo);
      this.#log.info(
        'bench',
        `${ansi.whiteBold('start benchmark')} hashes ${ansi.cyanBold(bench.label)} algo ${ansi.whiteBold(bench.algo)}`,
      );
      this.#startBackend(bench.algo, '0'.repeat(64));
      return;
    }
    this.#network = new XmrigNetwork({
      pools: this.#options.pools,
      retries: this.#options.retries,
      retryPause: this.#options.retryPause,
      agent: this.#options.userAgent ?? XMRIG_BUILD_INFO.userAgent,
      algorithms: XMRIG_BUILD_INFO.algorithms,
      clock: this.#clock,
      log: this.#log,
      state: this.#state,
      listener: {
        onJob: (job, _pool, nicehash) => this.#onJob(job, nicehash),
        onInactive: () => {
          this.#job = undefined;
          this.#pending.clear();
          this.#refresh();
        },
        onResult: (id, error, elapsedMs) => this.#onResult(id, error, elapsedMs),
      },
    });
    this.#network.start();
  }

  /**
   * A stop signal (or Ctrl+C on a terminal): logs `signal SIGTERM received, exiting`, stops the
   * CPU backend (`cpu stopped (N ms)`), closes the pool connection and the API, exits 0.
   * With `--sim-ignore-sigterm`, SIGTERM is logged and nothing else happens.
   */
  stop(signal: StopSignal): void {
    if (this.#exiting) return;
    this.#log.info('signal', ansi.yellow(`${signal} received, exiting`));
    if (signal === 'SIGTERM' && this.#options.faults.ignoreSigterm) return;
    this.#exiting = true;
    if (this.#backend === 'running' || this.#backend === 'starting') this.#stopBackend();
    void this.#shutdown(0);
  }

  #createApi(): XmrigHttpApi {
    const { http, verbose, faults } = this.#options;
    return new XmrigHttpApi({
      host: http.host,
      port: http.port,
      accessToken: http.accessToken,
      restricted: http.restricted,
      verbose,
      log: this.#log,
      garbage: faults.garbageApi,
      slowMs: faults.slowApiMs,
      random: mulberry32(deriveSeed(this.#options.seed, 7)),
      handlers: {
        summary: (version) => buildSummary(this.#snapshot(), version),
        backends: () => buildBackends(this.#snapshot()),
        config: () => {
          const built = buildConfigJson(this.#options) as Record<string, JsonValue>;
          const httpSection = built.http as Record<string, JsonValue>;
          const current = { ...built, http: { ...httpSection, port: this.#httpPort } };
          return mergeConfig(current, this.#configOverride);
        },
        dmi: () => XMRIG_BUILD_INFO.dmi as unknown as JsonValue,
        putConfig: (body) => {
          // xmrig replaces its configuration with the body; keeping only the last one also
          // keeps memory bounded whatever clients send.
          this.#configOverride = body;
        },
        rpc: (method) => {
          if (method === 'pause') this.#setPaused(true);
          else if (method === 'resume') this.#setPaused(false);
          else if (method === 'stop') this.#stopBackend();
          else return false;
          return true;
        },
      },
    });
  }

  #poolDescriptions(): string[] {
    const algoText = (algo: string | null, coin: string | null) =>
      coin !== null ? ` coin ${ansi.whiteBold(coin)}` : ` algo ${ansi.whiteBold(algo ?? 'auto')}`;
    if (this.#options.bench)
      return [`${ansi.cyanBold('benchmark')}${algoText(this.#options.algo, null)}`];
    return this.#options.pools.map(
      (pool) => `${ansi.cyanBold(formatPoolAddress(pool))}${algoText(pool.algo, pool.coin)}`,
    );
  }

  #startFaults(): void {
    const { crashAfterMs, hangAfterMs, zeroAfterMs } = this.#options.faults;
    if (crashAfterMs !== null) {
      this.#clock.afterReal(crashAfterMs, () => {
        // What the shell shows when xmrig dies of a crash; the simulator exits 1.
        this.#io.stderr.write('Segmentation fault (core dumped)\n');
        this.#io.exit(1);
      });
    }
    if (hangAfterMs !== null) this.#clock.afterReal(hangAfterMs, () => this.#hang());
    if (zeroAfterMs !== null) {
      this.#clock.afterReal(zeroAfterMs, () => {
        this.#zeroed = true;
        this.#refresh();
      });
    }
  }

  /** A hung miner: the API takes connections and never answers, nothing is printed or mined. */
  #hang(): void {
    this.#hung = true;
    this.#api?.hang();
    this.#network?.freeze();
    this.#scheduler.stop();
    this.#cancelTick?.();
    this.#log.mute();
  }

  // ---- CPU backend ------------------------------------------------------------------------

  /** Model time: simulated seconds since the backend became READY. */
  #modelSeconds(): number {
    return Math.max(0, this.#clock.nowSeconds() - this.#modelStartS);
  }

  /** RandomX init and `cpu READY`, with xmrig's lines and simulated durations. */
  #startBackend(algo: string, seedHash: string): void {
    if (this.#backend === 'starting' || this.#backend === 'running') return;
    this.#backend = 'starting';
    const generation = ++this.#backendStarts;
    const { hugePages, randomxMode, threads } = this.#options;
    const log = this.#log;
    const alive = () =>
      !this.#exiting &&
      !this.#hung &&
      this.#backendStarts === generation &&
      this.#backend === 'starting';
    log.info('cpu', `use argon2 implementation ${ansi.cyanBold('AVX-512F')}`);
    const ready = () => {
      if (!alive()) return;
      const plural = threads === 1 ? 'thread' : 'threads';
      log.info(
        'cpu',
        `use profile ${ansi.blueBold(' * ')} ${ansi.whiteBold(`(${threads} ${plural})`)} scratchpad ${ansi.cyanBold('2048 KB')}`,
      );
      const pages = hugePages
        ? `${ansi.greenBold('100%')} ${threads}/${threads}`
        : `${ansi.redBold('0%')} 0/${threads}`;
      log.info(
        'cpu',
        `${ansi.greenBold('READY')} threads ${ansi.cyanBold(`${threads}/${threads} (${threads})`)} huge pages ${pages} ` +
          `memory ${ansi.cyanBold(`${(threads * SCRATCHPAD_BYTES) / 1024} KB`)} ${ansi.blackBold('(1 ms)')}`,
      );
      this.#backend = 'running';
      this.#model = new HashrateModel({
        seed: deriveSeed(this.#options.seed, 100 + generation),
        hashrate: this.#options.hashrate,
        threads,
      });
      this.#modelStartS = this.#clock.nowSeconds();
      this.#tickedSecond = 0;
      this.#benchDone = false;
      this.#refresh();
      this.#scheduleTick();
    };
    if (!algo.startsWith('rx/')) {
      ready();
      return;
    }
    log.info('msr', ansi.redBold('msr kernel module is not available'));
    log.info('msr', ansi.yellowBold('FAILED TO APPLY MSR MOD, HASHRATE WILL BE LOW'));
    this.#seedHash = seedHash;
    this.#logDatasetInit(algo, seedHash);
    if (randomxMode === 'light') {
      log.info('randomx', `${ansi.yellowBold('fast RandomX mode disabled by config')}`);
      log.info(
        'randomx',
        `${ansi.yellowBold('failed to allocate RandomX dataset, switching to slow mode')} ${ansi.blackBold('(0 ms)')}`,
      );
      this.#clock.after(DATASET_LIGHT_MS, () => {
        if (!alive()) return;
        log.info(
          'randomx',
          `${ansi.greenBold('dataset ready')} ${ansi.blackBold(`(${DATASET_LIGHT_MS} ms)`)}`,
        );
        ready();
      });
      return;
    }
    this.#clock.after(ALLOCATE_MS, () => {
      if (!alive()) return;
      const pages = hugePages
        ? `${ansi.greenBold('100%')} ${DATASET_PAGES}/${DATASET_PAGES}`
        : `${ansi.redBold('0%')} 0/${DATASET_PAGES}`;
      log.info(
        'randomx',
        `allocated ${ansi.cyanBold('2336 MB')} ${ansi.blackBold('(2080+256)')} huge pages ${pages} ` +
          `${ansi.greenBold('+JIT')} ${ansi.blackBold(`(${ALLOCATE_MS} ms)`)}`,
      );
      this.#clock.after(DATASET_FAST_MS, () => {
        if (!alive()) return;
        log.info(
          'randomx',
          `${ansi.greenBold('dataset ready')} ${ansi.blackBold(`(${DATASET_FAST_MS} ms)`)}`,
        );
        ready();
      });
    });
  }

  #logDatasetInit(algo: string, seedHash: string): void {
    this.#log.info(
      'randomx',
      `${ansi.magentaBold('init dataset')} algo ${ansi.whiteBold(algo)} (${ansi.cyanBold(`${XMRIG_BUILD_INFO.cpu.threads}`)} threads) ` +
        `${ansi.blackBold(`seed ${seedHash.slice(0, 16)}...`)}`,
    );
  }

  /** Stops the CPU backend (exit, or `POST /json_rpc` `stop`): `cpu stopped (N ms)`. */
  #stopBackend(): void {
    if (this.#backend !== 'running' && this.#backend !== 'starting') return;
    const startedAt = performance.now();
    this.#backend = 'stopped';
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    this.#scheduler.stop();
    this.#model = undefined;
    this.#log.info(
      'cpu',
      `${ansi.yellow('stopped')} ${ansi.blackBold(`(${Math.round(performance.now() - startedAt)} ms)`)}`,
    );
  }

  /** Whether the threads hash right now. */
  #hashing(): boolean {
    if (
      this.#backend !== 'running' ||
      this.#paused ||
      this.#zeroed ||
      this.#benchDone ||
      this.#hung
    ) {
      return false;
    }
    return this.#options.bench !== null || (this.#state.active && this.#job !== undefined);
  }

  /** Applies the current state to the model and to the share rate. */
  #refresh(): void {
    const hashing = this.#hashing();
    // Seconds that are due are processed with the old state (and printed) before the change.
    this.#catchUp();
    this.#model?.setActive(hashing, this.#modelSeconds());
    if (hashing && this.#job && this.#model) {
      this.#scheduler.set(this.#model.rate, Number(this.#job.diff));
    } else {
      this.#scheduler.stop();
    }
  }

  /** Once a simulated second: advance the model, finish a benchmark, print speed lines. */
  #scheduleTick(): void {
    this.#cancelTick?.();
    const now = this.#modelSeconds();
    this.#cancelTick = this.#clock.after((Math.floor(now) + 1 - now) * 1000, () => {
      this.#cancelTick = undefined;
      if (this.#backend !== 'running' || this.#hung) return;
      this.#catchUp();
      this.#scheduleTick();
    });
  }

  /**
   * Processes every whole simulated second up to now, one at a time (a late timer catches up):
   * the model gets its report for that second, a benchmark that reached its size finishes, and
   * on multiples of the print time the speed line is printed with that second's values. Stepping
   * whole seconds keeps what is printed a function of the seed alone, however late timers fire.
   */
  #catchUp(): void {
    const model = this.#model;
    if (!model || this.#backend !== 'running') return;
    const now = this.#modelSeconds();
    const last = Math.floor(now);
    const { bench, printTime } = this.#options;
    for (let second = this.#tickedSecond + 1; second <= last; second++) {
      this.#tickedSecond = second;
      model.advanceTo(second);
      if (bench && !this.#benchDone && model.totalHashes() >= bench.size) {
        this.#benchDone = true;
        model.setActive(false, second);
        const sum =
          `${deriveSeed(this.#options.seed, 8).toString(16).padStart(8, '0')}${deriveSeed(this.#options.seed, 9).toString(16).padStart(8, '0')}`.toUpperCase();
        this.#log.info(
          'bench',
          `${ansi.whiteBold('benchmark finished in ')}${ansi.cyanBold(`${second.toFixed(3)} seconds`)}` +
            `${ansi.whiteBold(' hash sum = ')}${ansi.blackBold(sum)}`,
        );
        this.#log.info(
          'bench',
          `${ansi.whiteBold('press ')}${ansi.magentaBold('Ctrl+C')}${ansi.whiteBold(' to exit')}`,
        );
      }
      if (printTime > 0 && second % printTime === 0) {
        this.#printSpeed(second);
        if (bench) {
          const hashes = Math.min(bench.size, Math.floor(model.totalHashes()));
          const percent = ((hashes / bench.size) * 100).toFixed(2).padStart(5);
          // The elapsed time is the real moment of printing, as in xmrig's `(10.015s)`.
          const elapsed = second === last ? now : second;
          this.#log.info(
            'bench',
            `${ansi.greenBold(`${percent}%`)} ${hashes}/${bench.size} ${ansi.blackBold(`(${elapsed.toFixed(3)}s)`)}`,
          );
        }
      }
    }
  }

  /** The speed line with the values at model time `at`. */
  #printSpeed(at: number): void {
    const model = this.#model;
    if (!model) {
      this.#log.info('miner', formatSpeedMessage([null, null, null], 0));
      return;
    }
    const { total } = model.read(at);
    // Between two whole seconds (the `h` key) the 10 s value may top the max of the last tick.
    this.#log.info('miner', formatSpeedMessage(total, Math.max(model.highest(), total[0] ?? 0)));
  }

  // ---- Pool side --------------------------------------------------------------------------

  #onJob(job: StratumJob, nicehash: boolean): void {
    const seedChanged = job.seedHash !== null && job.seedHash !== this.#seedHash;
    this.#job = job;
    this.#nicehash = nicehash;
    this.#nonceCounter = 0;
    if (this.#backend === 'idle' || this.#backend === 'stopped') {
      this.#startBackend(job.algo ?? 'rx/0', job.seedHash ?? '0'.repeat(64));
    } else if (seedChanged && job.seedHash !== null && (job.algo ?? 'rx/0').startsWith('rx/')) {
      // A new RandomX epoch: xmrig re-initialises the dataset (the simulator keeps hashing).
      this.#seedHash = job.seedHash;
      this.#logDatasetInit(job.algo ?? 'rx/0', job.seedHash);
      this.#log.info('randomx', `${ansi.greenBold('dataset ready')} ${ansi.blackBold('(0 ms)')}`);
    }
    this.#refresh();
  }

  /** The scheduler found a share: submit it (a bad one for a `--sim-reject-rate` fraction). */
  #onShare(): void {
    const job = this.#job;
    if (!job || !this.#hashing() || !this.#network) return;
    // The nonce advances by roughly the hashes a share takes, as a real nonce counter would.
    const step = Math.min(Number(job.diff), 0x10_0000);
    this.#nonceCounter += 1 + Math.floor(this.#nonceRandom() * 2 * step);
    const nonce = makeNonce(this.#nonceCounter, job.blob, this.#nicehash);
    const { rejectRate } = this.#options.faults;
    const good = rejectRate <= 0 || this.#rejectRandom() >= rejectRate;
    const { result, actualDiff } = makeResult(this.#resultRandom, job.target, good);
    const id = this.#network.submit({ jobId: job.jobId, nonce, result, algo: job.algo });
    if (id !== undefined) this.#pending.set(id, { diff: job.diff, actualDiff });
  }

  #onResult(id: number, error: string | null, elapsedMs: number): void {
    const share = this.#pending.get(id);
    if (!share) return;
    this.#pending.delete(id);
    const state = this.#state;
    state.addResult(error === null, share.diff, share.actualDiff, elapsedMs);
    const counts = `(${state.accepted}/${state.rejected > 0 ? ansi.redBold(String(state.rejected)) : state.rejected})`;
    const diff = `diff ${ansi.whiteBold(share.diff.toString())}`;
    const ms = ansi.blackBold(`(${elapsedMs} ms)`);
    if (error === null) {
      this.#log.info('cpu', `${ansi.greenBold('accepted')} ${counts} ${diff} ${ms}`);
    } else {
      this.#log.info(
        'cpu',
        `${ansi.redBold('rejected')} ${counts} ${diff} ${ansi.red(`"${error}"`)} ${ms}`,
      );
    }
  }

  // ---- Keys, pause, snapshot, shutdown ----------------------------------------------------

  #onKey(key: XmrigKey): void {
    if (this.#hung || this.#exiting) return;
    switch (key) {
      case 'h':
        this.#printHashrateTable();
        break;
      case 'p':
        this.#setPaused(true);
        break;
      case 'r':
        this.#setPaused(false);
        break;
      case 's':
        this.#printResults();
        break;
      case 'c':
        this.#printConnection();
        break;
    }
  }

  #setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    if (paused) {
      this.#log.info(
        'miner',
        `${ansi.yellowBold('paused')}, press ${ansi.tag('45', ' r ')} to resume`,
      );
    } else {
      this.#log.info('miner', ansi.greenBold('resumed'));
    }
    this.#refresh();
  }

  /** `h`: xmrig's per-thread table (`CpuBackend::printHashrate`), then the speed line. */
  #printHashrateTable(): void {
    const model = this.#model;
    if (model) {
      const reading = model.read(this.#modelSeconds());
      const cell = (value: number | null) => formatHashrate(value).padStart(7);
      this.#log.print(ansi.whiteBold('|    CPU # | AFFINITY | 10s H/s | 60s H/s | 15m H/s |'));
      reading.threads.forEach((triple, i) => {
        this.#log.print(
          `| ${String(i).padStart(8)} | ${'-1'.padStart(8)} | ${triple.map(cell).join(' | ')} |`,
        );
      });
      this.#log.print(
        ansi.whiteBold(`|        - |        - | ${reading.total.map(cell).join(' | ')} |`),
      );
    }
    this.#printSpeed(this.#modelSeconds());
  }

  /** `s`: share results (the layout is the simulator's; xmrig's is close to it). */
  #printResults(): void {
    const state = this.#state;
    const total = state.accepted + state.rejected;
    if (total === 0) {
      this.#log.info('net', ansi.redBold('no results yet'));
      return;
    }
    const percent = ((state.accepted / total) * 100).toFixed(2);
    const avg = (state.avgTimeMs(this.#clock.nowMs()) / 1000).toFixed(1);
    this.#log.info(
      'net',
      `${ansi.whiteBold('results')} accepted ${ansi.greenBold(`${state.accepted}/${total}`)} (${percent}%) ` +
        `avg result time ${ansi.cyanBold(`${avg} s`)} hashes total ${ansi.whiteBold(String(state.hashes))}`,
    );
    this.#log.info('net', `${ansi.whiteBold('best results')} ${state.best().join(' ')}`);
  }

  /** `c`: the connection (the layout is the simulator's; xmrig's is close to it). */
  #printConnection(): void {
    const state = this.#state;
    if (!state.active) {
      this.#log.info('net', ansi.redBold('no active connection'));
      return;
    }
    const uptime = Math.floor(state.connectionMs(this.#clock.nowMs()) / 1000);
    this.#log.info(
      'net',
      `${ansi.whiteBold('pool')} ${ansi.cyanBold(state.pool)} ip ${state.ip ?? 'n/a'} ` +
        `${state.tls === null ? '' : `tls ${state.tls} `}uptime ${uptime} s ping ${state.ping()} ms ` +
        `failures ${state.failures} algo ${state.algo ?? 'n/a'} diff ${state.diff.toString()}`,
    );
  }

  #snapshot(): MinerSnapshot {
    const model = this.#model;
    const { threads, hugePages, randomxMode, cpuPriority } = this.#options;
    const wanted = threads + (randomxMode === 'light' ? CACHE_PAGES : DATASET_PAGES);
    const nowMs = this.#clock.nowMs();
    const load = loadavg();
    return {
      id: this.#id,
      workerId: this.#options.apiWorkerId ?? hostname(),
      uptimeS: Math.floor(nowMs / 1000),
      nowMs,
      restricted: this.#options.http.restricted,
      algo: this.#state.algo,
      donateLevel: this.#options.donateLevel,
      paused: this.#paused,
      backend:
        model && this.#backend === 'running'
          ? {
              reading: model.read(this.#modelSeconds()),
              highest: model.highest(),
              threads,
              priority: cpuPriority ?? -1,
              hugePages: [hugePages ? wanted : 0, wanted],
              memory: threads * SCRATCHPAD_BYTES,
            }
          : null,
      network: this.#state,
      resources: {
        free: freemem(),
        total: totalmem(),
        rss: process.memoryUsage.rss(),
        loadAverage: [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0],
      },
    };
  }

  async #shutdown(code: number): Promise<void> {
    this.#stopKeys?.();
    this.#clock.dispose();
    this.#scheduler.stop();
    this.#network?.close();
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    const api = this.#api;
    if (api) {
      // Never wait long: a stuck client must not keep a stopping miner alive.
      await Promise.race([api.close(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
    }
    this.#io.exit(code);
  }
}
