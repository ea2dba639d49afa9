/** Where this run's TT-Miner API listens, and its password if one is set. */
export interface TtminerApiBind {
  /** Always loopback: the API is never exposed beyond this host. */
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly password?: string;
}
