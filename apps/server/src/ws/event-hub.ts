import { type EventType, SubscribeMessageSchema } from '@rigkit/client';
import type { EventBus, RigkitEvents } from '@rigkit/core';
import type { WebSocket } from 'ws';

/** Close code for "try again later": used for slow consumers and when the hub is full. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_POLICY_VIOLATION = 1008;

/** Settings of an {@link EventHub}. */
export interface EventHubOptions {
  /** Most connected clients; extra ones are closed with 1013. Default 1000. */
  maxClients?: number;
  /** Messages sent but not yet flushed to a client before it counts as slow. Default 256. */
  queueSize?: number;
  /** Heartbeat: a client that did not answer the previous ping is terminated. Default 30 s. */
  pingIntervalMs?: number;
  /** Most subscribe messages a client may send per minute. Default 60. */
  maxControlMessagesPerMinute?: number;
}

interface Client {
  socket: WebSocket;
  alive: boolean;
  /** Sent but not yet flushed: the per-client queue, bounded by `queueSize`. */
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
      socket.close(CLOSE_TRY_AGAIN_LATER, 'server shutting down');
      return;
    }
    if (this.#clients.size >= this.#maxClients) {
      socket.close(CLOSE_TRY_AGAIN_LATER, 'too many clients');
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

  /** Closes every client and stops listening to the bus and the heartbeat. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ping);
    this.#stopBus();
    for (const client of this.#clients) client.socket.close(1001, 'server shutting down');
    this.#clients.clear();
  }

  #broadcast(type: string, payload: unknown): void {
    if (this.#clients.size === 0) return;
    const minerId = (payload as { minerId?: unknown }).minerId;
    let frame: string | undefined; // serialised once, only if some client wants it
    for (const client of this.#clients) {
      if (client.events && !client.events.has(type)) continue;
      if (client.miners && (typeof minerId !== 'string' || !client.miners.has(minerId))) continue;
      if (client.inFlight >= this.#queueSize) {
        this.#dropped += 1;
        this.#clients.delete(client);
        client.socket.close(CLOSE_TRY_AGAIN_LATER, 'slow consumer: event queue full');
        // A peer that stopped reading may never complete the close handshake.
        setTimeout(() => client.socket.terminate(), 1000).unref();
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
      client.socket.close(CLOSE_POLICY_VIOLATION, 'too many control messages');
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
    if (client.inFlight >= this.#queueSize) return;
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
