import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, ResourceLeakError } from './expect-no-leaks.js';

describe('expectNoLeaks', () => {
  it('passes when a server is opened and closed (waiting for libuv to release it)', async () => {
    await expectNoLeaks(async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  });

  it('reports a timer left behind', async () => {
    let timer: NodeJS.Timeout | undefined;
    const error = await expectNoLeaks(
      () => {
        timer = setInterval(() => {}, 60_000);
      },
      { settleMs: 50 },
    ).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(ResourceLeakError);
    expect((error as ResourceLeakError).leaked).toEqual({ Timeout: 1 });
  });
});
