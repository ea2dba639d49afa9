import { XMRIG_BUILD_INFO } from './xmrig-build-info.js';

/** What `--version` prints: the layout of xmrig's own `--version`. */
export function versionText(): string {
  const b = XMRIG_BUILD_INFO;
  return (
    `${b.name} ${b.version}\n` +
    ` built on ${b.builtOn} with GCC ${b.gcc}\n` +
    ' features: 64-bit AES\n' +
    '\n' +
    `libuv/${b.libuv}\n` +
    `OpenSSL/${b.openssl}\n` +
    `hwloc/${b.hwloc}\n`
  );
}

/** What `--help` prints: xmrig's usage layout, limited to what the simulator understands. */
export function usageText(): string {
  return `Usage: rigkit-sim-xmrig [OPTIONS]

A simulator of ${XMRIG_BUILD_INFO.name} ${XMRIG_BUILD_INFO.version} for tests: same command line, log lines,
HTTP API and stratum client, with a simulated hashrate.

Network:
  -o, --url=URL                 URL of mining server (repeatable: failover order)
  -a, --algo=ALGO               mining algorithm
      --coin=COIN               specify coin instead of algorithm
  -u, --user=USERNAME           username for mining server
  -p, --pass=PASSWORD           password for mining server
  -O, --userpass=U:P            username:password pair for mining server
      --rig-id=ID               rig identifier for pool-side statistics (needs pool support)
  -k, --keepalive               send keepalived packet for prevent timeout (needs pool support)
      --nicehash                enable nicehash.com support
      --tls                     enable SSL/TLS support (needs pool support)
      --tls-fingerprint=HEX     pool TLS certificate fingerprint for strict certificate pinning
  -r, --retries=N               number of times to retry before switch to backup server (default: 5)
  -R, --retry-pause=N           time to pause between retries (default: 5)
      --user-agent              set custom user-agent string for pool
      --donate-level=N          donate level, default 1% (accepted; the simulator never donates)

CPU backend:
  -t, --threads=N               number of CPU threads (default: 2, the simulated CPU's)
      --cpu-priority=N          set process priority (0 idle, 2 normal to 5 highest)
      --cpu-max-threads-hint=N  maximum CPU threads count (in percentage) hint for autoconfig
      --no-huge-pages           disable huge pages support
      --randomx-mode=MODE       RandomX mode: auto, fast, light

API:
      --api-worker-id=ID        custom worker-id for API
      --api-id=ID               custom instance ID for API
      --http-host=HOST          bind host for HTTP API (default: 127.0.0.1)
      --http-port=N             bind port for HTTP API (0: any free port, shown in the banner)
      --http-access-token=T     access token for HTTP API
      --http-no-restricted      enable full remote access to HTTP API (only if access token set)

Logging:
      --print-time=N            print hashrate report every N seconds (default: 10; xmrig: 60)
      --no-color                disable colored output
      --verbose                 verbose output

Misc:
  -c, --config=FILE             load a JSON-format configuration file
      --bench=N                 run benchmark, N can be between 1M and 10M, or 250K, 500K
  -h, --help                    display this help and exit
  -V, --version                 print version information and exit

Simulator:
      --sim-seed=N              PRNG seed: same seed and inputs, same run (default: random)
      --sim-hashrate=H/s        mean simulated hashrate (default: 1000)
      --sim-time-scale=N        simulated time runs N times faster than real time (default: 1)
      --sim-crash-after=MS      exit with code 1 after MS real milliseconds
      --sim-hang-after=MS       after MS, stay alive but stop answering the API (and go quiet)
      --sim-zero-after=MS       after MS, hash at 0 H/s (windows decay to 0, no more shares)
      --sim-garbage-api         answer every API request with non-JSON junk and status 200
      --sim-slow-api=MS         delay every API answer by MS
      --sim-ignore-sigterm      log the signal but keep running (only SIGKILL ends it)
      --sim-reject-rate=R       submit a bad result for a fraction R (0..1) of shares

Tuning options of xmrig that are not simulated (--asm, --av, --randomx-*, --cpu-affinity,
--background, --log-file, ...) are accepted and ignored. Unknown options exit with code 1.
Keys on stdin: h hashrate, p pause, r resume, s results, c connection.
`;
}
