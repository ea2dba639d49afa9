import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitForBaseline } from './expect-no-leaks.js';
import { diffResources, snapshotResources } from './snapshot-resources.js';

describe('snapshotResources', () => {
  it('sees a timer and a listening socket appear and disappear', async () => {
    const before = snapshotResources();
    const timer = setInterval(() => {}, 60_000);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const during = diffResources(before, snapshotResources());
    expect(during.Timeout).toBe(1);
    expect(during.TCPServerWrap).toBe(1);
    if (before.fds !== undefined) expect(during.fd).toBeGreaterThanOrEqual(1);

    clearInterval(timer);
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    // libuv releases the server handle a loop turn after the close callback.
    expect(await waitForBaseline(before)).toEqual({});
  });
});
