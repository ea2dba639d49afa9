import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { API_PREFIX } from '@rigkit/client';
import { type Manager, RigkitError } from '@rigkit/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { bearerToken, tokensMatch } from './auth/verify-token.js';
import { handleFrameworkError, installErrorHandling } from './errors/error-handler.js';
import { createMetrics } from './metrics/create-metrics.js';
import { MinerDirectory } from './miners/miner-directory.js';
import { minerRoutes } from './routes/miner-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import type { ServerStore } from './store/server-store.js';
import { isAllowedOrigin } from './ws/allowed-origin.js';
import { EventHub, type EventHubOptions } from './ws/event-hub.js';

/** Everything {@link buildApp} composes. Nothing here listens on a port. */
export interface AppOptions {
  manager: Manager;
  store?: ServerStore | undefined;
  /** API token required for control calls (and for everything when `protectReads`). */
  token: string;
  /** Require the token for reads too (always, when bound to a non-loopback address). */
  protectReads?: boolean;
  /** A pino logger (use {@link createServerLogger}: it redacts tokens and passwords). */
  logger?: FastifyBaseLogger | undefined;
  /** Max request body. Default 1 MiB. */
  bodyLimit?: number;
  /** Requests per minute per IP; `false` disables. Default 600. */
  rateLimitPerMinute?: number | false;
  ws?: EventHubOptions & {
    /** Extra allowed `Origin`s besides loopback ones, e.g. `https://rig.example`. */
    allowedOrigins?: readonly string[];
  };
  now?: () => number;
}

/** The fastify app plus what the host must dispose. */
export interface RigkitApp {
  app: FastifyInstance;
  directory: MinerDirectory;
  hub: EventHub;
  /** Refuse new work (`/ready` → 503) before shutting down. */
  stopAccepting(): void;
}

const CONTROL_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const OPEN_PATHS = new Set([`${API_PREFIX}/health`, `${API_PREFIX}/ready`]);

/**
 * Builds the Rigkit HTTP + WebSocket app around a manager (and optional storage). Routes are
 * validated by the zod schemas of `@rigkit/client`, which also produce the OpenAPI document.
 * Tests call it with `app.inject()`; `startServer()` adds config, storage and `listen()`.
 */
export async function buildApp(options: AppOptions): Promise<RigkitApp> {
  const { manager, store, token } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();
  let accepting = true;

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 200 },
    // Router-level errors (bad percent-encoding, overlong params) get our envelope too.
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rigkit API',
        version: '1',
        description: 'Run and supervise miner processes.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: `${API_PREFIX}/docs` });

  if (options.rateLimitPerMinute !== false) {
    await app.register(rateLimit, {
      max: options.rateLimitPerMinute ?? 600,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) =>
        new RigkitError(
          'E_RATE_LIMITED',
          `rate limit of ${context.max} requests per minute exceeded`,
        ),
    });
  }
  const hub = new EventHub(manager.events, options.ws);
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Our hub closes its clients with 1001 and cuts off peers that never finish the close
    // handshake; the plugin's default would wait up to 30 s for each of them.
    preClose(done) {
      hub.close();
      this.websocketServer.close();
      done();
    },
  });

  // Auth: control calls and the event stream always need the token; reads only when asked.
  app.addHook('onRequest', async function authenticate(request) {
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path)) return;
    const isWs = path === `${API_PREFIX}/events`;
    const needsToken = isWs || CONTROL_METHODS.has(request.method) || options.protectReads === true;
    if (!needsToken) return;
    const presented =
      bearerToken(request.headers.authorization) ?? (isWs ? queryToken(request.url) : undefined);
    if (!tokensMatch(presented, token)) {
      throw new RigkitError(
        'E_UNAUTHORIZED',
        'a valid API token is required (Authorization: Bearer <token>)',
      );
    }
  });

  const directory = new MinerDirectory(manager, store);
  const metrics = createMetrics({
    manager,
    wsClients: () => hub.size,
    droppedSamples: () => store?.droppedSamples() ?? 0,
  });
  app.addHook('onClose', async function releaseHub() {
    hub.close();
    metrics.dispose();
  });

  await app.register(
    async function apiV1(api) {
      await api.register(minerRoutes, { manager, directory, store, now });
      await api.register(systemRoutes, { manager, store, startedAt, accepting: () => accepting });
      api.route({
        method: 'GET',
        url: '/events',
        schema: { hide: true },
        handler: async function notAnUpgrade() {
          throw new RigkitError('E_UPGRADE_REQUIRED', 'this path only accepts WebSocket upgrades');
        },
        wsHandler: function events(socket) {
          hub.attach(socket);
        },
        preValidation: async function checkOrigin(request) {
          if (!isAllowedOrigin(request.headers.origin, options.ws?.allowedOrigins ?? [])) {
            throw new RigkitError(
              'E_FORBIDDEN_ORIGIN',
              'this Origin may not open the event stream',
            );
          }
        },
      });
    },
    { prefix: API_PREFIX },
  );

  app.get('/metrics', { schema: { hide: true } }, async function scrape(_request, reply) {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  await app.ready();
  return {
    app,
    directory,
    hub,
    stopAccepting() {
      accepting = false;
    },
  };
}

function queryToken(url: string): string | undefined {
  const query = url.split('?')[1];
  return query ? (new URLSearchParams(query).get('token') ?? undefined) : undefined;
}
