/** The TT-Miner version the simulator claims (`-v`, the banner, `result[0]` of the API). */
export const TTMINER_SIM_VERSION = '2024.3.2';

/** The API port TT-Miner binds when `-b` gives none. */
export const DEFAULT_API_PORT = 4068;

/** What the simulator's GPUs are called (`-l`, the banner). */
export const SIM_GPU_NAME = 'NVIDIA GeForce RTX 3080 (simulated)';

/** Default mean hashrate of one simulated GPU, H/s (an RTX 3080 on KawPow, roughly). */
export const DEFAULT_GPU_HASHRATE = 14_500_000;

/** One pool from `-P` or `-o/-u/-p/-w`. */
export interface TtminerSimPool {
  /** `stratum+tcp`, `stratum+ssl`… as given (`undefined` for a bare `host:port`). */
  scheme: string | undefined;
  /** A hostname, an IPv4 address or an IPv6 address (without brackets). */
  host: string;
  port: number;
  tls: boolean;
  /** The login sent with `mining.authorize`: `user` or `user.worker`, percent-decoded. */
  login: string;
  /** The password sent with `mining.authorize` (`x` when none was given). */
  pass: string;
}

/** The API (`-b`, `--api-password`). */
export interface TtminerSimApiOptions {
  host: string;
  /** 0 binds a free port; the `API listening on` line shows the real one. */
  port: number;
  password: string | null;
}

/** Fault injection (`--sim-*`). Times are real milliseconds unless said otherwise. */
export interface TtminerSimFaults {
  crashAfterMs: number | null;
  hangAfterMs: number | null;
  zeroUntilFirstShare: boolean;
  /** CUDA indexes of GPUs that get lost. */
  gpuLost: number[];
  /** When they get lost; `null`: after {@link GPU_LOST_DEFAULT_S} simulated seconds. */
  gpuLostAfterMs: number | null;
  /** CUDA indexes of GPUs that overheat. */
  overheat: number[];
  garbageApi: boolean;
  slowApiMs: number;
  ignoreSigterm: boolean;
}

/** Simulated seconds after which `--sim-gpu-lost` GPUs are lost, without `--sim-gpu-lost-after`. */
export const GPU_LOST_DEFAULT_S = 5;

/** Everything the simulator runs with. */
export interface TtminerSimOptions {
  algo: string;
  coin: string | null;
  /** Pools in failover order (may be empty: the GPUs then hash without a pool). */
  pools: TtminerSimPool[];
  /** CUDA indexes mined with (`-d`), or every simulated GPU. */
  devices: number[];
  intensity: number | null;
  api: TtminerSimApiOptions;
  colors: boolean;
  /** Seconds (simulated) between statistics reports; 0: none. */
  printTime: number;
  /** Simulated GPUs in the machine (`--sim-gpus`). */
  gpus: number;
  /** Mean hashrate of each GPU, H/s. */
  hashrate: number;
  /** Omit power (API `result[9]` and `, N W` in GPU lines). */
  power: boolean;
  seed: number;
  timeScale: number;
  faults: TtminerSimFaults;
}

/** The simulator's defaults. */
export function defaultTtminerSimOptions(): TtminerSimOptions {
  return {
    algo: 'KAWPOW',
    coin: null,
    pools: [],
    devices: [0, 1],
    intensity: null,
    api: { host: '127.0.0.1', port: DEFAULT_API_PORT, password: null },
    colors: true,
    printTime: 10,
    gpus: 2,
    hashrate: DEFAULT_GPU_HASHRATE,
    power: true,
    seed: 1,
    timeScale: 1,
    faults: {
      crashAfterMs: null,
      hangAfterMs: null,
      zeroUntilFirstShare: false,
      gpuLost: [],
      gpuLostAfterMs: null,
      overheat: [],
      garbageApi: false,
      slowApiMs: 0,
      ignoreSigterm: false,
    },
  };
}
