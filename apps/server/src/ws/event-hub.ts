import { type EventType, SubscribeMessageSchema } from '@rigkit/client';
import type { EventBus, RigkitEvents } from '@rigkit/core';
import type { WebSocket } from 'ws';

/** Close code for "try again later": used for slow consumers and when the hub is full. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_GOING_AWAY = 1001;

/** How long a peer we close gets to answer the close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/** Settings of an {@link EventHub}. */
export interface EventHubOptions {
  /** Most connected clients; extra ones are closed with 1013. Default 1000. */
  maxClients?: number;
  /**
   * Messages a client may have waiting in the server's memory (sent, not yet taken by the
   * kernel) before it counts as slow and is closed with 1013. Default 256.
   */
  queueSize?: number;
  /** Heartbeat: a client that did not answer the previous ping is terminated. Default 30 s. */
  pingIntervalMs?: number;
  /** Most subscribe messages a client may send per minute. Default 60. */
  maxControlMessagesPerMinute?: number;
}

interface Client {
  socket: WebSocket;
  alive: boolean;
  /**
   * Sends whose callback has not run yet. Writes the kernel took synchronously also count
   * until the next tick, so this alone is not the queue: see {@link EventHub#isSlow}.
   */
  inFlight: number;
  miners: ReadonlySet<string> | undefined;
  events: ReadonlySet<string> | undefined;
  controlMessages: number;
  controlWindowStart: number;
}

/**
 * Fans manager events out to WebSocket clients. Each client has a filter and a bounded queue:
 * a client that cannot keep up is disconnected (1013), never buffered without bound. Client
 * messages are only ever read as subscription changes — nothing a client sends is broadcast.
 */
export class EventHub {
  readonly #clients = new Set<Client>();
  readonly #maxClients: number;
  readonly #queueSize: number;
  readonly #maxControl: number;
  readonly #stopBus: () => void;
  readonly #ping: NodeJS.Timeout;
  /** Sockets we closed that have not finished closing, with their terminate timers. */
  readonly #closing = new Map<WebSocket, NodeJS.Timeout>();
  #closed = false;
  #dropped = 0;

  constructor(bus: EventBus<RigkitEvents>, options: EventHubOptions = {}) {
    this.#maxClients = options.maxClients ?? 1000;
    this.#queueSize = options.queueSize ?? 256;
    this.#maxControl = options.maxControlMessagesPerMinute ?? 60;
    this.#stopBus = bus.onAny((type, payload) => this.#broadcast(type, payload));
    this.#ping = setInterval(() => this.#heartbeat(), options.pingIntervalMs ?? 30_000);
  }

  /** Connected clients. */
  get size(): number {
    return this.#clients.size;
  }

  /** Clients disconnected for being too slow, since start. */
  get droppedSlowClients(): number {
    return this.#dropped;
  }

  /** Takes ownership of an accepted socket. */
  attach(socket: WebSocket): void {
    if (this.#closed) {
      this.#closeSocket(socket, CLOSE_TRY_AGAIN_LATER, 'server shutting down');
      return;
    }
    if (this.#clients.size >= this.#maxClients) {
      this.#closeSocket(socket, CLOSE_TRY_AGAIN_LATER, 'too many clients');
      return;
    }
    const client: Client = {
      socket,
      alive: true,
      inFlight: 0,
      miners: undefined,
      events: undefined,
      controlMessages: 0,
      controlWindowStart: Date.now(),
    };
    this.#clients.add(client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', (data, isBinary) => this.#onMessage(client, data, isBinary));
    socket.on('close', () => this.#clients.delete(client));
    socket.on('error', () => socket.terminate());
  }

  /**
   * Closes every client (1001) and stops listening to the bus and the heartbeat. Peers already
   * being dropped are destroyed now; the others get {@link CLOSE_GRACE_MS} to answer the close
   * frame before their socket is destroyed, so a dead peer cannot hold up shutdown.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ping);
    this.#stopBus();
    for (const [socket, timer] of this.#closing) {
      clearTimeout(timer);
      socket.terminate();
    }
    this.#closing.clear();
    const clients = [...this.#clients];
    this.#clients.clear();
    for (const client of clients) {
      this.#closeSocket(client.socket, CLOSE_GOING_AWAY, 'server shutting down');
    }
  }

  /** Sends a close frame and destroys the socket if the peer does not answer in time. */
  #closeSocket(socket: WebSocket, code: number, reason: string): void {
    if (socket.readyState === socket.CLOSED) return;
    socket.close(code, reason);
    if (this.#closing.has(socket)) return;
    const timer = setTimeout(() => {
      this.#closing.delete(socket);
      socket.terminate();
    }, CLOSE_GRACE_MS);
    timer.unref();
    this.#closing.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.#closing.delete(socket);
    });
  }

  /**
   * Slow: `queueSize` sends are pending AND bytes are waiting in our memory. Pending sends
   * alone are not enough: during a synchronous burst every callback waits for the next tick
   * even though the kernel took each frame at once, and a fast reader must not be dropped
   * for that. With this rule at most `queueSize` (+1) messages sit in the server per client.
   */
  #isSlow(client: Client): boolean {
    return client.inFlight >= this.#queueSize && client.socket.bufferedAmount > 0;
  }

  #broadcast(type: string, payload: unknown): void {
    if (this.#clients.size === 0) return;
    const minerId = (payload as { minerId?: unknown }).minerId;
    let frame: string | undefined; // serialised once, only if some client wants it
    for (const client of this.#clients) {
      if (client.events && !client.events.has(type)) continue;
      if (client.miners && (typeof minerId !== 'string' || !client.miners.has(minerId))) continue;
      if (this.#isSlow(client)) {
        this.#dropped += 1;
        this.#clients.delete(client);
        // A peer that stopped reading may never complete the close handshake.
        this.#closeSocket(client.socket, CLOSE_TRY_AGAIN_LATER, 'slow consumer: event queue full');
        continue;
      }
      frame ??= JSON.stringify({ type: 'event', event: type, data: payload });
      client.inFlight += 1;
      client.socket.send(frame, () => {
        client.inFlight -= 1;
      });
    }
  }

  #onMessage(client: Client, data: unknown, isBinary: boolean): void {
    const now = Date.now();
    if (now - client.controlWindowStart > 60_000) {
      client.controlWindowStart = now;
      client.controlMessages = 0;
    }
    client.controlMessages += 1;
    if (client.controlMessages > this.#maxControl) {
      this.#clients.delete(client);
      this.#closeSocket(client.socket, CLOSE_POLICY_VIOLATION, 'too many control messages');
      return;
    }
    let parsed: unknown;
    try {
      parsed = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      parsed = undefined;
    }
    const result = SubscribeMessageSchema.safeParse(parsed);
    if (!result.success) {
      this.#reply(client, {
        type: 'error',
        code: 'E_VALIDATION',
        message: 'expected {"type":"subscribe","miners"?:[…],"events"?:[…]}',
      });
      return;
    }
    const { miners, events } = result.data;
    client.miners = miners && miners.length > 0 ? new Set(miners) : undefined;
    client.events = events && events.length > 0 ? new Set<EventType>(events) : undefined;
    this.#reply(client, {
      type: 'subscribed',
      miners: miners ?? [],
      events: events ?? [],
    });
  }

  #reply(client: Client, message: object): void {
    if (this.#isSlow(client)) return;
    client.inFlight += 1;
    client.socket.send(JSON.stringify(message), () => {
      client.inFlight -= 1;
    });
  }

  #heartbeat(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        this.#clients.delete(client);
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}
