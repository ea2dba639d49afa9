import {
  AdapterListSchema,
  ErrorEnvelopeSchema,
  HealthSchema,
  MemorySchema,
  MonitorResponseSchema,
  ReadySchema,
} from '@rigkit/client';
import { type Manager, type ResourceSnapshot, RigkitError } from '@rigkit/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerStore } from '../store/server-store.js';

export interface SystemRoutesOptions {
  manager: Manager;
  store: ServerStore | undefined;
  startedAt: number;
  /** False once shutdown has begun: /ready then answers 503. */
  accepting: () => boolean;
}

function toDto(s: ResourceSnapshot) {
  return { ...s, eventLoopDelay: s.eventLoopDelay ?? null, openFds: s.openFds ?? null };
}

/** Adapters, memory, monitor, gc, health and readiness. */
export const systemRoutes: FastifyPluginAsyncZod<SystemRoutesOptions> = async function systemRoutes(
  app,
  opts,
) {
  const { manager, store } = opts;

  app.get(
    '/adapters',
    { schema: { tags: ['system'], response: { 200: AdapterListSchema } } },
    async function adapters() {
      return {
        adapters: manager.adapters.list().map((a) => ({
          kind: a.kind,
          name: a.meta.name,
          version: a.meta.version,
          core: a.meta.core,
        })),
      };
    },
  );

  app.get(
    '/system/memory',
    { schema: { tags: ['system'], response: { 200: MemorySchema } } },
    async function memory() {
      const m = process.memoryUsage();
      return {
        rssBytes: m.rss,
        heapUsedBytes: m.heapUsed,
        heapTotalBytes: m.heapTotal,
        externalBytes: m.external,
        arrayBuffersBytes: m.arrayBuffers,
      };
    },
  );

  app.get(
    '/system/monitor',
    { schema: { tags: ['system'], response: { 200: MonitorResponseSchema } } },
    async function monitor() {
      const mon = manager.monitor;
      if (!mon) throw new RigkitError('E_MONITOR_DISABLED', 'the resource monitor is disabled');
      return { latest: toDto(mon.latest() ?? mon.snapshot()), history: mon.history().map(toDto) };
    },
  );

  app.post(
    '/system/gc',
    { schema: { tags: ['system'], response: { 200: MemorySchema, 409: ErrorEnvelopeSchema } } },
    async function gc() {
      if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
        throw new RigkitError(
          'E_GC_UNAVAILABLE',
          'garbage collection is only available when node runs with --expose-gc',
        );
      }
      (globalThis as unknown as { gc: () => void }).gc();
      const m = process.memoryUsage();
      return {
        rssBytes: m.rss,
        heapUsedBytes: m.heapUsed,
        heapTotalBytes: m.heapTotal,
        externalBytes: m.external,
        arrayBuffersBytes: m.arrayBuffers,
      };
    },
  );

  app.get(
    '/health',
    { schema: { tags: ['system'], response: { 200: HealthSchema } } },
    async function health() {
      return {
        status: 'ok' as const,
        uptimeSeconds: Math.round((Date.now() - opts.startedAt) / 1000),
      };
    },
  );

  app.get(
    '/ready',
    { schema: { tags: ['system'], response: { 200: ReadySchema, 503: ReadySchema } } },
    async function ready(_request, reply) {
      const storage = store ? await store.writable().catch(() => false) : true;
      const managerOk = opts.accepting();
      const body = { ready: storage && managerOk, checks: { storage, manager: managerOk } };
      return reply.code(body.ready ? 200 : 503).send(body);
    },
  );

  app.get(
    '/openapi.json',
    { schema: { hide: true, response: { 200: z.unknown() } } },
    async function openapi() {
      return app.swagger();
    },
  );
};
