import { createServer, type Socket } from 'node:net';
import { NdjsonSplitter } from '@rigkit/core';

/** One accepted connection of a {@link ScriptedServer}: the test reads lines and writes bytes. */
export interface ScriptedPeer {
  socket: Socket;
  /** The next line the client sent (waits for it). */
  nextLine(): Promise<string>;
  /** Writes `text` one byte per write, yielding a loop turn between bytes. */
  writeByteByByte(text: string): Promise<void>;
}

/** A TCP server whose every byte is written by the test (for the reference client's tests). */
export interface ScriptedServer {
  port: number;
  /** The next connection (waits for it). */
  accepted(): Promise<ScriptedPeer>;
  close(): Promise<void>;
}

/** Starts a {@link ScriptedServer} on 127.0.0.1 and a free port. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const peers: ScriptedPeer[] = [];
  const peerWaiters: Array<(peer: ScriptedPeer) => void> = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const lines: string[] = [];
    const lineWaiters: Array<(line: string) => void> = [];
    const splitter = new NdjsonSplitter(
      1024 * 1024,
      (line) => {
        const waiter = lineWaiters.shift();
        if (waiter) waiter(line);
        else lines.push(line);
      },
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    const peer: ScriptedPeer = {
      socket,
      nextLine: () => {
        const line = lines.shift();
        return line === undefined
          ? new Promise((resolve) => lineWaiters.push(resolve))
          : Promise.resolve(line);
      },
      async writeByteByByte(text) {
        for (const byte of Buffer.from(text)) {
          socket.write(Buffer.of(byte));
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
    };
    const waiter = peerWaiters.shift();
    if (waiter) waiter(peer);
    else peers.push(peer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    accepted: () => {
      const peer = peers.shift();
      return peer ? Promise.resolve(peer) : new Promise((resolve) => peerWaiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
