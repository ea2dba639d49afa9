import {
  CreateMinerBodySchema,
  ErrorEnvelopeSchema,
  HistoryQuerySchema,
  HistoryResponseSchema,
  LogsQuerySchema,
  LogsResponseSchema,
  MinerListSchema,
  MinerParamsSchema,
  MinerSchema,
  PatchMinerBodySchema,
  SampleSchema,
  SessionsQuerySchema,
  SessionsResponseSchema,
  StdinBodySchema,
} from '@rigkit/client';
import type { Manager } from '@rigkit/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MinerDirectory } from '../miners/miner-directory.js';
import type { ServerStore } from '../store/server-store.js';

const DAY = 86_400_000;
const errors = {
  400: ErrorEnvelopeSchema,
  401: ErrorEnvelopeSchema,
  404: ErrorEnvelopeSchema,
  409: ErrorEnvelopeSchema,
};

export interface MinerRoutesOptions {
  manager: Manager;
  directory: MinerDirectory;
  store: ServerStore | undefined;
  now: () => number;
}

/** `/miners` and everything below it. */
export const minerRoutes: FastifyPluginAsyncZod<MinerRoutesOptions> = async function minerRoutes(
  app,
  opts,
) {
  const { manager, directory, store, now } = opts;
  const tags = ['miners'];

  // GET /miners is the hot read (dashboards poll it): its body is serialised once per change
  // of any miner, not once per request. Every state change, sample and log line is an event.
  let listBody: string | undefined;
  const invalidate = () => {
    listBody = undefined;
  };
  const stopWatching = manager.events.onAny(invalidate);
  app.addHook('onClose', async () => stopWatching());

  app.get(
    '/miners',
    { schema: { tags, response: { 200: MinerListSchema } } },
    async function listMiners(_request, reply) {
      listBody ??= JSON.stringify(
        MinerListSchema.parse({ miners: directory.list().map((m) => directory.toDto(m)) }),
      );
      // A pre-serialised string bypasses the schema serializer (it was checked by parse above).
      return reply.type('application/json; charset=utf-8').send(listBody as never);
    },
  );

  app.post(
    '/miners',
    { schema: { tags, body: CreateMinerBodySchema, response: { 201: MinerSchema, ...errors } } },
    async function createMiner(request, reply) {
      const body = request.body;
      const miner = await directory.create({
        kind: body.kind,
        name: body.name,
        id: body.id,
        options: body.options,
        autostart: body.autostart,
        supervision: body.supervision,
      });
      if (body.autostart) miner.start().catch(() => {}); // state changes arrive as events
      return reply.code(201).send(directory.toDto(miner));
    },
  );

  app.get(
    '/miners/:id',
    { schema: { tags, params: MinerParamsSchema, response: { 200: MinerSchema, ...errors } } },
    async function getMiner(request) {
      return directory.toDto(directory.get(request.params.id));
    },
  );

  app.patch(
    '/miners/:id',
    {
      schema: {
        tags,
        params: MinerParamsSchema,
        body: PatchMinerBodySchema,
        response: { 200: MinerSchema, ...errors },
      },
    },
    async function patchMiner(request) {
      await directory.update(request.params.id, request.body);
      invalidate(); // name and autostart live in the server, not in core: no event fires
      return directory.toDto(directory.get(request.params.id));
    },
  );

  app.delete(
    '/miners/:id',
    { schema: { tags, params: MinerParamsSchema, response: { 204: z.null(), ...errors } } },
    async function deleteMiner(request, reply) {
      await directory.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const action of ['start', 'stop', 'restart'] as const) {
    app.post(
      `/miners/:id/${action}`,
      {
        schema: {
          tags,
          params: MinerParamsSchema,
          response: { 200: MinerSchema, ...errors, 504: ErrorEnvelopeSchema },
        },
      },
      async function minerAction(request) {
        const miner = directory.get(request.params.id);
        await miner[action]();
        return directory.toDto(miner);
      },
    );
  }

  app.get(
    '/miners/:id/sample',
    {
      schema: {
        tags,
        params: MinerParamsSchema,
        response: { 200: SampleSchema, ...errors, 504: ErrorEnvelopeSchema },
      },
    },
    async function takeSample(request) {
      const sample = await directory.get(request.params.id).sample();
      return { ...sample, hashrate: sample.hashrate ?? null };
    },
  );

  app.get(
    '/miners/:id/history',
    {
      schema: {
        tags,
        params: MinerParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryResponseSchema, ...errors },
      },
    },
    async function history(request) {
      const miner = directory.get(request.params.id);
      const to = request.query.to ?? now();
      const from = request.query.from ?? to - DAY;
      const { maxPoints } = request.query;
      if (store) return store.history(miner.id, from, to, maxPoints);
      // Without storage, core's in-memory rings (5 min at 10 s, 24 h at 1 min) answer.
      const points = miner.history.query({ from, to, maxPoints, resolution: 'auto' });
      return {
        resolution: 'memory',
        points: points.map((p) => ({
          time: p.time,
          hashrate: Number.isFinite(p.hashrate) ? p.hashrate : null,
          ...(p.min === undefined ? {} : { min: Number.isFinite(p.min) ? p.min : null }),
          ...(p.max === undefined ? {} : { max: Number.isFinite(p.max) ? p.max : null }),
        })),
      };
    },
  );

  app.get(
    '/miners/:id/sessions',
    {
      schema: {
        tags,
        params: MinerParamsSchema,
        querystring: SessionsQuerySchema,
        response: { 200: SessionsResponseSchema, ...errors },
      },
    },
    async function sessions(request) {
      const miner = directory.get(request.params.id);
      const { limit, before } = request.query;
      const rows = store ? await store.sessions(miner.id, limit, before) : [];
      const last = rows.at(-1);
      return { sessions: rows, nextBefore: rows.length === limit && last ? last.startedAt : null };
    },
  );

  app.get(
    '/miners/:id/logs',
    {
      schema: {
        tags,
        params: MinerParamsSchema,
        querystring: LogsQuerySchema,
        response: { 200: LogsResponseSchema, ...errors },
      },
    },
    async function logs(request) {
      const { logs } = directory.get(request.params.id);
      const { tail, since } = request.query;
      const entries = since === undefined ? logs.tail(tail) : logs.since(since, tail);
      return { entries, lastSeq: logs.lastSeq, firstSeq: logs.firstSeq };
    },
  );

  app.post(
    '/miners/:id/stdin',
    {
      schema: {
        tags,
        params: MinerParamsSchema,
        body: StdinBodySchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async function writeStdin(request, reply) {
      directory.get(request.params.id).write(request.body.input);
      return reply.code(204).send(null);
    },
  );
};
