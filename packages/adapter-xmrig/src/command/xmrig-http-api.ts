/** Where this run's xmrig HTTP API listens and the token it requires. */
export interface XmrigHttpApi {
  /** Always loopback: the API is never exposed beyond this host. */
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly token: string;
}
