import { TESTKIT_VERSION } from '../../version.js';
import { ansi } from '../shared/ansi.js';
import { formatHostPort } from '../shared/host-port.js';
import { deriveSeed, mulberry32, type RandomSource } from '../shared/mulberry32.js';
import { type CancelTimer, SimClock } from '../shared/sim-clock.js';
import type { StopSignal } from '../shared/simulator-main.js';
import { TtminerApiServer } from './api-server.js';
import { buildGetstat1Result } from './getstat1.js';
import { GpuModel } from './gpu-model.js';
import {
  type ShareFinder,
  type ShareFinderFactory,
  type StratumV1Share,
  type StratumV1Work,
  simulatedShareFinder,
} from './share-finder.js';
import { formatRate, TtminerLog } from './ttminer-log.js';
import { TtminerNetwork } from './ttminer-network.js';
import {
  GPU_LOST_DEFAULT_S,
  SIM_GPU_NAME,
  TTMINER_SIM_VERSION,
  type TtminerSimOptions,
} from './ttminer-sim-options.js';

/** The process the simulator runs in (the real one in the bin; tests may pass their own). */
export interface TtminerSimulatorIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  exit(code: number): void;
}

export type { StopSignal };

/** Parts that can be swapped (a real share finder, later). */
export interface TtminerSimulatorParts {
  shareFinder?: ShareFinderFactory;
}

/** Shortest real delay between two ticks: catch-up covers the seconds in between. */
const MIN_TICK_MS = 20;
/** Longest rejection reason printed. */
const MAX_REASON = 200;

/** The pool's reason as it can be printed inside the canonical line's double quotes. */
function printableReason(reason: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  const clean = reason.replace(/[\u0000-\u001f\u007f"]/g, "'").trim();
  const text = clean === '' ? 'unknown reason' : clean;
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}

/**
 * The simulated TT-Miner: GPUs ({@link GpuModel}), the pool side ({@link TtminerNetwork},
 * Stratum V1), a share finder, the `miner_getstat1` API and the fault injection, printing the
 * canonical TT-Miner lines:
 *
 * banner `TT-Miner <version>` → `API listening on <host>:<port>` → `Connected to`, `New job
 * from … diff …` → `GPU <i>: Share accepted (<ms> ms)` / `GPU <i>: Share rejected: "<reason>"
 * (<ms> ms)` per share → every `-PRT` seconds one `GPU <i>: <rate>, <t>°C, fan <f>%, <p> W` per
 * GPU and `Total: <rate>` → `Received SIGTERM, shutting down`.
 */
export class TtminerSimulator {
  readonly #options: TtminerSimOptions;
  readonly #io: TtminerSimulatorIo;
  readonly #clock: SimClock;
  readonly #log: TtminerLog;
  readonly #model: GpuModel;
  readonly #finder: ShareFinder;
  readonly #gpuRandom: RandomSource;
  /** Submitted shares waiting for their answer: request id → GPU. */
  readonly #pending = new Map<number, number>();
  #network: TtminerNetwork | undefined;
  #api: TtminerApiServer | undefined;
  #work: StratumV1Work | undefined;
  #accepted = 0;
  #rejected = 0;
  #tickedSecond = 0;
  #cancelTick: CancelTimer | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #hung = false;
  #exiting = false;

  constructor(
    options: TtminerSimOptions,
    io: TtminerSimulatorIo,
    parts: TtminerSimulatorParts = {},
  ) {
    this.#options = options;
    this.#io = io;
    this.#clock = new SimClock(options.timeScale);
    this.#log = new TtminerLog({ colors: options.colors, write: (text) => io.stdout.write(text) });
    this.#model = new GpuModel({
      seed: options.seed,
      devices: options.devices,
      hashrate: options.hashrate,
      overheat: options.faults.overheat,
    });
    this.#gpuRandom = mulberry32(deriveSeed(options.seed, 3));
    // Without a pool the GPUs hash from the first simulated second, whenever the API is bound:
    // what is printed then depends on the seed alone.
    if (options.pools.length === 0) this.#model.setHashing(true, 0);
    this.#finder = (parts.shareFinder ?? simulatedShareFinder)({
      clock: this.#clock,
      timing: mulberry32(deriveSeed(options.seed, 1)),
      content: mulberry32(deriveSeed(options.seed, 2)),
      onShare: (share) => this.#onShare(share),
    });
  }

  /** Prints the banner, binds the API, connects to the pool and starts the clock. */
  async start(): Promise<void> {
    // A miner never exits on its own: a dead pool must not end the process.
    this.#keepAlive = setInterval(() => {}, 1 << 30);
    const options = this.#options;
    const log = this.#log;
    log.raw(ansi.whiteBold(`TT-Miner ${TTMINER_SIM_VERSION}`));
    log.line(
      `rigkit-sim-ttminer ${TESTKIT_VERSION}: a simulated TT-Miner (seed ${options.seed}, time scale ${options.timeScale})`,
    );
    log.line(
      `Algorithm ${options.algo}` +
        (options.coin === null ? '' : `, coin ${options.coin}`) +
        (options.intensity === null ? '' : `, intensity ${options.intensity}`),
    );
    for (const index of options.devices) log.line(`GPU ${index}: ${SIM_GPU_NAME}, 10 GB`);

    const { api } = options;
    const where = formatHostPort(api);
    const server = new TtminerApiServer({
      host: api.host,
      port: api.port,
      password: api.password,
      garbage: options.faults.garbageApi,
      slowMs: options.faults.slowApiMs,
      getstat1: () => this.#getstat1(),
    });
    try {
      const port = await server.listen();
      this.#api = server;
      log.line(`API listening on ${formatHostPort({ host: api.host, port })}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      log.line(ansi.red(`ERROR: API bind to ${where} failed (${code})`));
    }
    if (this.#exiting) return;

    this.#startFaults();
    if (options.pools.length === 0) {
      log.line('No pool given (-P): the GPUs hash offline');
      this.#refresh();
    } else {
      this.#network = new TtminerNetwork({
        pools: options.pools,
        agent: `TT-Miner/${TTMINER_SIM_VERSION}`,
        clock: this.#clock,
        log,
        listener: {
          onWork: (work) => this.#onWork(work),
          onResult: (id, error, elapsedMs) => this.#onResult(id, error, elapsedMs),
        },
      });
      this.#network.start();
    }
    this.#scheduleTick();
  }

  /**
   * A stop signal: prints `Received SIGTERM, shutting down`, closes the pool connection and the
   * API, exits 0. With `--sim-ignore-sigterm`, SIGTERM is printed as ignored and nothing happens.
   */
  stop(signal: StopSignal): void {
    if (this.#exiting) return;
    if (signal === 'SIGTERM' && this.#options.faults.ignoreSigterm) {
      this.#log.line(`Received ${signal}, ignored (--sim-ignore-sigterm)`);
      return;
    }
    this.#log.line(`Received ${signal}, shutting down`);
    this.#exiting = true;
    void this.#shutdown(0);
  }

  #startFaults(): void {
    const { crashAfterMs, hangAfterMs, gpuLost, gpuLostAfterMs } = this.#options.faults;
    if (crashAfterMs !== null) {
      this.#clock.afterReal(crashAfterMs, () => {
        this.#io.stderr.write('Segmentation fault (core dumped)\n');
        this.#io.exit(1);
      });
    }
    if (hangAfterMs !== null) this.#clock.afterReal(hangAfterMs, () => this.#hang());
    if (gpuLost.length > 0 && gpuLostAfterMs !== null) {
      this.#clock.afterReal(gpuLostAfterMs, () => this.#loseGpus());
    }
  }

  /** A hung miner: the API takes connections and never answers; nothing is printed or mined. */
  #hang(): void {
    this.#catchUp();
    this.#hung = true;
    this.#api?.hang();
    this.#network?.freeze();
    this.#finder.setHashrate(0);
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    this.#log.mute();
  }

  /** `--sim-gpu-lost-after`: the GPUs are lost now (the seconds before are generated first). */
  #loseGpus(): void {
    if (this.#hung || this.#exiting) return;
    this.#catchUp();
    const now = this.#clock.nowSeconds();
    for (const index of this.#options.faults.gpuLost) {
      if (this.#model.lose(index, now)) this.#log.line(ansi.red(`ERROR: GPU ${index} lost`));
    }
    this.#refresh();
  }

  // ---- Time -------------------------------------------------------------------------------

  #hashing(): boolean {
    if (this.#hung || this.#exiting) return false;
    return this.#options.pools.length === 0 || this.#work !== undefined;
  }

  /** Applies the current state to the GPUs and the share finder. */
  #refresh(): void {
    // Seconds that are due are generated (and printed) with the old state first.
    this.#catchUp();
    this.#model.setHashing(this.#hashing(), this.#clock.nowSeconds());
    this.#finder.setHashrate(this.#model.nominalRate());
  }

  #scheduleTick(): void {
    this.#cancelTick?.();
    const now = this.#clock.nowSeconds();
    const realMs = Math.max(MIN_TICK_MS, this.#clock.toRealMs((Math.floor(now) + 1 - now) * 1000));
    this.#cancelTick = this.#clock.afterReal(realMs, () => {
      this.#cancelTick = undefined;
      if (this.#hung || this.#exiting) return;
      this.#catchUp();
      this.#scheduleTick();
    });
  }

  /**
   * Processes every whole simulated second up to now, one at a time: the GPUs step, the default
   * `--sim-gpu-lost` moment passes, and on multiples of `-PRT` the report is printed with that
   * second's values — so what is printed depends on the seed, not on timer jitter.
   */
  #catchUp(): void {
    if (this.#hung) return;
    const last = Math.floor(this.#clock.nowSeconds());
    const { printTime, faults } = this.#options;
    for (let second = this.#tickedSecond + 1; second <= last; second++) {
      this.#tickedSecond = second;
      this.#model.advanceTo(second);
      if (faults.gpuLost.length > 0 && faults.gpuLostAfterMs === null) {
        if (second === GPU_LOST_DEFAULT_S) {
          for (const index of faults.gpuLost) {
            if (this.#model.lose(index, second))
              this.#log.line(ansi.red(`ERROR: GPU ${index} lost`));
          }
          this.#finder.setHashrate(this.#model.nominalRate());
        }
      }
      if (printTime > 0 && second % printTime === 0) this.#report();
    }
  }

  #zeroReported(): boolean {
    return this.#options.faults.zeroUntilFirstShare && this.#accepted === 0;
  }

  /** The statistics block: one line per GPU, then the total. */
  #report(): void {
    const zero = this.#zeroReported();
    const power = this.#options.power;
    let total = 0;
    for (const gpu of this.#model.read()) {
      const heat = `${gpu.temperatureC}°C, fan ${gpu.fanPercent}%`;
      if (gpu.lost) {
        this.#log.line(`GPU ${gpu.index}: temperature ${heat}`);
        continue;
      }
      const rate = zero ? 0 : gpu.hashrate;
      total += rate;
      this.#log.line(
        `GPU ${gpu.index}: ${formatRate(rate)}, ${heat}${power ? `, ${gpu.powerW} W` : ''}`,
      );
    }
    this.#log.line(ansi.whiteBold(`Total: ${formatRate(total)}`));
  }

  // ---- Pool side --------------------------------------------------------------------------

  #onWork(work: StratumV1Work | undefined): void {
    this.#work = work;
    // Answers to shares of a lost connection never come.
    if (!work) this.#pending.clear();
    this.#finder.setWork(this.#hung ? undefined : work);
    this.#refresh();
  }

  #onShare(share: StratumV1Share): void {
    if (!this.#hashing() || !this.#network) return;
    const gpu = this.#model.pickGpu(this.#gpuRandom);
    const id = this.#network.submit(share);
    if (id !== undefined) this.#pending.set(id, gpu);
  }

  #onResult(id: number, error: string | null, elapsedMs: number): void {
    const gpu = this.#pending.get(id);
    if (gpu === undefined) return;
    this.#pending.delete(id);
    if (error === null) {
      this.#accepted++;
      this.#log.line(ansi.green(`GPU ${gpu}: Share accepted (${elapsedMs} ms)`));
    } else {
      this.#rejected++;
      this.#log.line(
        ansi.red(`GPU ${gpu}: Share rejected: "${printableReason(error)}" (${elapsedMs} ms)`),
      );
    }
  }

  // ---- API, shutdown ----------------------------------------------------------------------

  #getstat1(): string[] {
    this.#catchUp();
    return buildGetstat1Result({
      uptimeSeconds: this.#clock.nowSeconds(),
      gpus: this.#model.read(),
      accepted: this.#accepted,
      rejected: this.#rejected,
      invalid: 0,
      poolSwitches: this.#network?.switches ?? 0,
      pool: this.#network?.poolAddress ?? '',
      zeroHashrate: this.#zeroReported(),
      power: this.#options.power,
    });
  }

  async #shutdown(code: number): Promise<void> {
    this.#clock.dispose();
    this.#finder.dispose();
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
