import { SIM_GPU_NAME, TTMINER_SIM_VERSION } from './ttminer-sim-options.js';

/** What `-v` prints (the adapter's detect parses `TT-Miner <version>`). */
export function versionText(): string {
  return `TT-Miner ${TTMINER_SIM_VERSION}\n`;
}

/** What `-l` prints: one line per simulated GPU (all of them, whatever `-d` says). */
export function deviceListText(gpus: number): string {
  let text = '';
  for (let i = 0; i < gpus; i++) {
    const bus = (i + 1).toString(16).padStart(2, '0');
    text += `GPU ${i}: ${SIM_GPU_NAME}, 10 GB, PCI 0000:${bus}:00.0\n`;
  }
  return text;
}

/** What `-h` prints. */
export function usageText(): string {
  return `Usage: rigkit-sim-ttminer [OPTIONS]   (a simulated TT-Miner ${TTMINER_SIM_VERSION})

TT-Miner:
  -a, -algo ALGO            algorithm (default KAWPOW; shown, not simulated)
  -c, -coin COIN            coin
  -P POOL                   [scheme://]user[.worker][:pass]@host:port, repeatable (failover order);
                            user and pass are percent-decoded; scheme stratum+tcp or stratum+ssl
  -o URL                    [scheme://]host:port, repeatable, with -u USER [-w WORKER] [-p PASS]
  -d, -devices 0,1          GPUs to mine with (default: all)
  -i, -intensity N          1..30 (accepted, no effect)
  -b, --api-bind IP:PORT    API address (default 127.0.0.1:4068; port 0: any free port)
      --api-password PW     requests must carry "psw": PW
  -nocolor                  no colours
  -PRT N                    print statistics every N seconds (default 10; 0: never)
  -l, -list                 list the GPUs and exit
  -v, --version             print the version and exit
  -h, --help                print this and exit

Simulator:
  --sim-seed N              PRNG seed (default: random, printed in the banner)
  --sim-time-scale X        simulated time runs X times faster (default 1)
  --sim-hashrate H          mean H/s per GPU, e.g. 14500000 or 14.5M (default 14.5M)
  --sim-gpus N              simulated GPUs in the machine (default 2)
  --sim-no-power            no power figures (API result[9], ", N W" in GPU lines)
  --sim-crash-after MS      exit with code 1 after MS real ms
  --sim-hang-after MS       after MS real ms: API takes connections, never answers; silence
  --sim-zero-until-first-share   report 0 H/s until the first accepted share
  --sim-gpu-lost IDX        GPU IDX is lost (0 H/s, "ERROR: GPU IDX lost"); repeatable
  --sim-gpu-lost-after MS   when (real ms; default: 5 simulated seconds)
  --sim-overheat IDX        GPU IDX climbs past 90 °C within ~a simulated minute; repeatable
  --sim-garbage-api         answer API requests with a line that is not JSON
  --sim-slow-api MS         delay every API answer by MS real ms
  --sim-ignore-sigterm      print the signal but keep running (SIGKILL ends it)
`;
}
