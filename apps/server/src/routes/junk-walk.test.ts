// Walks every route with junk and asserts the server never answers 5xx to a client mistake and
// that every error is the one envelope `{ error: { code, message, details? } }`. Routes come
// from the OpenAPI document, so a new route is covered without touching this file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorEnvelopeSchema } from '@rigkit/client';
import { createManager } from '@rigkit/core';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../app.js';
import { memoryMiner, TEST_TOKEN, testApp } from '../testing/test-app.js';

const SEED = 20_260_517;
const LONG = 'x'.repeat(10 * 1024);
const MINER = 'm1';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

interface Route {
  method: Method;
  /** OpenAPI template, e.g. `/api/v1/miners/{id}/logs`. */
  path: string;
  query: string[];
}

interface Request {
  method: Method;
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

const AUTHS: ReadonlyArray<Record<string, string>> = [
  {},
  { authorization: `Bearer ${TEST_TOKEN}` },
  { authorization: 'Bearer wrong' },
  { authorization: `Basic ${Buffer.from(`rigkit:${TEST_TOKEN}`).toString('base64')}` },
  { authorization: `Bearer ${LONG}` },
];
const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };

/** Path params: traversal, NUL, 10 KB, unicode, broken escapes, prototype names. */
const JUNK_IDS = [
  'nope',
  '..',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%00',
  'a%00b',
  LONG,
  'a'.repeat(65),
  encodeURIComponent('ünïcødé✓'),
  encodeURIComponent('💩'),
  'ü',
  '%F0%9F%92',
  '%',
  '%zz',
  '-1',
  'NaN',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  '%20',
  MINER,
];

const JUNK_VALUES = [
  '',
  'abc',
  '-1',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '1e-7',
  '9'.repeat(400),
  '0x10',
  '1.5',
  '[]',
  '{}',
  'null',
  'true',
  '%00',
  encodeURIComponent('١٢٣'),
  '%20%201',
  LONG,
];

const JUNK_QUERIES = [
  '?',
  '?&&&',
  '?=1',
  '?unknown=1',
  '?__proto__[x]=1',
  '?constructor[prototype][x]=1',
  '?toString=1',
  '?from=1&from=2',
  '?tail[]=1',
  '?tail[a]=1',
  '?maxPoints=0&from=9&to=1',
  '?from=0&to=9007199254740993',
  `?from=0&to=${Number.MAX_VALUE}`,
  '?to=1',
  '?since=9007199254740991&tail=1000',
  '?before=0&limit=200',
  `?${LONG}=${LONG}`,
  '?%=%',
];

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const JUNK_BODIES = [
  '',
  '[]',
  '[1,2,3]',
  '"string"',
  '42',
  '-1',
  'null',
  'true',
  '{}',
  '{"input":""}',
  '{"kind":"memory"}',
  '{"kind":123,"name":[]}',
  '{"kind":"memory","name":"x","options":[]}',
  '{"kind":"memory","name":"x","options":{"hashrate":"NaN"}}',
  '{"kind":"memory","name":"x","options":{"__proto__":{"polluted":1}}}',
  '{"kind":"memory","name":"x","supervision":{"probeIntervalMs":-1,"dropRatio":1}}',
  '{"kind":"memory","name":"x","supervision":[]}',
  '{"kind":"constructor","name":"x"}',
  '{"kind":"__proto__","name":"x"}',
  '{"kind":"toString","name":"x"}',
  '{"kind":"hasOwnProperty","name":"x"}',
  `{"kind":"memory","name":"x","id":"${MINER}"}`,
  '{"kind":"memory","name":"   "}',
  '{"kind":"memory","name":"\\u0000\\ud800"}',
  '{"name":"x","autostart":"yes"}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"input":"\\u0003"}',
  JSON.stringify({ input: LONG }),
  JSON.stringify({ kind: 'memory', name: LONG }),
  deepJson(64),
  deepJson(20_000),
  '{"kind":"memory",',
  '\u0000\u0001\u0002',
  `{"pad":"${'p'.repeat(1024 * 1024 + 10)}"}`, // over the 1 MiB body limit
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/vnd.api+json',
  '*/*',
  '',
];

/** OpenAPI paths plus the routes hidden from the document. */
async function routesOf(app: FastifyInstance): Promise<Route[]> {
  const doc = (
    await app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: AUTH })
  ).json() as {
    paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
  };
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      routes.push({ method: method.toUpperCase() as Method, path, query });
    }
  }
  for (const path of [
    '/metrics',
    '/api/v1/events',
    '/api/v1/openapi.json',
    '/api/v1/docs/',
    '/api/v1/docs/json',
    '/api/v1/docs/static/index.html',
    '/api/v1/docs/static/{id}',
  ]) {
    routes.push({ method: 'GET', path, query: [] });
  }
  return routes;
}

/** Sends requests and collects every 5xx and every error body that is not the envelope. */
class Walker {
  readonly problems = new Map<string, string>();
  count = 0;

  constructor(
    readonly app: FastifyInstance,
    readonly ensureMiner: () => Promise<void>,
  ) {}

  /** Returns a description of what went wrong, or undefined. */
  async hit(request: Request, route: string): Promise<string | undefined> {
    await this.ensureMiner();
    this.count += 1;
    let response: Awaited<ReturnType<FastifyInstance['inject']>>;
    try {
      response = await this.app.inject(request as InjectOptions);
    } catch (error) {
      return this.#record(`${request.method} ${route} threw`, request, String(error));
    }
    const { statusCode } = response;
    if (statusCode >= 500) {
      return this.#record(`${request.method} ${route} → ${statusCode}`, request, response.body);
    }
    if (statusCode >= 400 && request.method !== 'HEAD') {
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      if (!ErrorEnvelopeSchema.safeParse(body).success) {
        return this.#record(
          `${request.method} ${route} → ${statusCode} without the error envelope`,
          request,
          response.body,
        );
      }
    }
    return undefined;
  }

  #record(key: string, request: Request, body: string): string {
    const shown = {
      method: request.method,
      url: clip(request.url),
      headers: request.headers,
      payload: request.payload === undefined ? undefined : clip(request.payload),
    };
    const problem = `${key}\n    request: ${JSON.stringify(shown)}\n    body: ${clip(body)}`;
    if (!this.problems.has(key)) this.problems.set(key, problem);
    return problem;
  }

  expectClean(minRequests: number): void {
    expect([...this.problems.values()]).toEqual([]);
    expect(this.count).toBeGreaterThanOrEqual(minRequests);
  }
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…(${text.length} chars)` : text;
}

function urlFor(route: Route, id = MINER, query = ''): string {
  return `${route.path.replace('{id}', id)}${query}`;
}

async function setup(overrides: Parameters<typeof testApp>[0] = {}) {
  const built = await testApp({ rateLimitPerMinute: false, ...overrides });
  const ensureMiner = async () => {
    if (built.manager.list().some((m) => m.id === MINER)) return;
    // (May be refused by the rate limiter in the test that turns it on; then m1 is just gone.)
    await built.app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: AUTH,
      payload: { kind: 'memory', name: 'junk target', id: MINER },
    });
  };
  const walker = new Walker(built.app, ensureMiner);
  const routes = await routesOf(built.app);
  // The document really lists the API (so the walk cannot silently shrink to nothing).
  expect(routes.filter((r) => r.path.startsWith('/api/v1/miners')).length).toBeGreaterThanOrEqual(
    12,
  );
  return { ...built, walker, routes };
}

describe('junk input on every route', () => {
  it('wrong methods, with and without (bad) tokens: no 5xx, only envelopes', async () => {
    const { walker, routes } = await setup();
    for (const route of routes) {
      for (const method of METHODS) {
        for (const headers of AUTHS) {
          await walker.hit({ method, url: urlFor(route), headers }, route.path);
        }
      }
    }
    // Unknown methods as well (fastify answers them itself).
    for (const method of ['TRACE', 'PROPFIND', 'SEARCH', 'MKCOL']) {
      await walker.hit({ method: method as Method, url: '/api/v1/miners', headers: AUTH }, method);
    }
    walker.expectClean(routes.length * METHODS.length * AUTHS.length);
  }, 60_000);

  it('junk path params: traversal, %00, 10 KB, unicode, broken escapes', async () => {
    const { walker, routes } = await setup();
    for (const route of routes.filter((r) => r.path.includes('{id}'))) {
      for (const id of JUNK_IDS) {
        for (const headers of [{}, AUTH]) {
          await walker.hit({ method: route.method, url: urlFor(route, id), headers }, route.path);
        }
      }
    }
    // Junk in the fixed part of paths too.
    for (const url of [
      '/api/v1/../../etc/passwd',
      '/api/v1/%2e%2e/%2e%2e/etc/passwd',
      '/api/v1/docs/static/../../../../package.json',
      '/api/v1/docs/static/%2e%2e%2f%2e%2e%2fpackage.json',
      '/api/v1/docs/static/%00',
      `/api/v1/${LONG}`,
      '/api/v1/miners//start',
      '/api/v1/miners/m1/',
      '/api/v1/miners/m1/start/',
      '//api/v1/miners',
      '/API/V1/MINERS',
      '/api/v1/miners%2Fm1',
      '/%',
    ]) {
      await walker.hit({ method: 'GET', url, headers: AUTH }, url.slice(0, 40));
      await walker.hit({ method: 'POST', url, headers: AUTH }, url.slice(0, 40));
      // Traversal never reaches a file outside the docs' static folder.
      const body = (await walker.app.inject({ method: 'GET', url, headers: AUTH })).body;
      expect(body, url).not.toMatch(/root:.*:0:0:|"devDependencies"|"workspaces"/);
    }
    walker.expectClean(200);
  }, 60_000);

  it('junk query strings: NaN, huge, negative, arrays, prototype keys, 10 KB', async () => {
    const { walker, routes } = await setup();
    for (const route of routes) {
      const queries = [...JUNK_QUERIES];
      for (const name of route.query.length > 0 ? route.query : ['tail']) {
        for (const value of JUNK_VALUES) queries.push(`?${name}=${value}`);
      }
      for (const query of queries) {
        await walker.hit(
          { method: route.method, url: urlFor(route, MINER, query), headers: AUTH },
          route.path,
        );
      }
    }
    walker.expectClean(routes.length * JUNK_QUERIES.length);
  }, 60_000);

  it('junk bodies in every content type, on every route and method', async () => {
    const { walker, routes } = await setup();
    const paths = [...new Set(routes.map((r) => r.path))];
    let expected = 0;
    for (const path of paths) {
      const declared = routes.filter((r) => r.path === path).map((r) => r.method);
      // The declared methods that take a body, plus one the path does not have.
      const methods = new Set<Method>(declared.filter((m) => m !== 'GET' && m !== 'HEAD'));
      methods.add(declared.includes('POST') ? 'PUT' : 'POST');
      const url = urlFor({ method: 'GET', path, query: [] });
      for (const method of methods) {
        for (const payload of JUNK_BODIES) {
          const headers = { ...AUTH, 'content-type': 'application/json' };
          await walker.hit({ method, url, headers, payload }, path);
          expected += 1;
        }
        for (const type of CONTENT_TYPES) {
          for (const payload of ['{}', '[]', 'a=1&b=2', '--xyz\r\n\r\n--xyz--', '<x/>']) {
            const headers: Record<string, string> = { ...AUTH };
            if (type !== '') headers['content-type'] = type;
            await walker.hit({ method, url, headers, payload }, path);
            expected += 1;
          }
        }
      }
      // A body on a GET is ignored or refused, never a crash.
      for (const payload of ['{}', '[]', deepJson(64)]) {
        const headers = { ...AUTH, 'content-type': 'application/json' };
        await walker.hit({ method: 'GET', url, headers, payload }, path);
        expected += 1;
      }
    }
    // Over the 1 MiB limit in every content type: 413 (or 415), never a crash.
    const oversized = `{"pad":"${'p'.repeat(1024 * 1024 + 10)}"}`;
    for (const type of CONTENT_TYPES) {
      const headers: Record<string, string> = { ...AUTH };
      if (type !== '') headers['content-type'] = type;
      await walker.hit(
        { method: 'POST', url: '/api/v1/miners', headers, payload: oversized },
        type,
      );
      expected += 1;
    }
    walker.expectClean(expected);
  }, 60_000);

  it('generated junk (fast-check, fixed seed): bodies, queries and ids', async () => {
    const { walker, routes } = await setup();
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('', 'NaN', '-1', '1e309', '__proto__', '../', '\u0000'),
      fc.double().map(String),
      fc.integer().map(String),
    );
    const bodyFields = fc.constantFrom(
      'kind',
      'name',
      'id',
      'options',
      'autostart',
      'supervision',
      'input',
      '__proto__',
      'constructor',
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(bodyFields, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
      fc.record({
        kind: fc.oneof(fc.constant('memory'), text),
        name: text,
        id: fc.option(text, { nil: undefined }),
        options: fc.oneof(fc.dictionary(text, fc.jsonValue({ maxDepth: 2 })), fc.jsonValue()),
        supervision: fc.option(
          fc.dictionary(
            fc.constantFrom('probeIntervalMs', 'dropRatio', 'stopGraceMs', 'x'),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          { nil: undefined },
        ),
      }),
    );
    const queryKeys = fc.oneof(
      fc.constantFrom('from', 'to', 'maxPoints', 'tail', 'since', 'limit', 'before'),
      text,
    );
    const query = fc
      .array(fc.tuple(queryKeys, text), { maxLength: 5 })
      .map((pairs) => `?${new URLSearchParams(pairs).toString()}`);
    const request = fc
      .record({
        route: fc.constantFrom(...routes),
        id: fc.oneof(fc.constant(MINER), text.map(encodeURIComponent)),
        query,
        body: fc.option(body, { nil: undefined }),
        type: fc.constantFrom(...CONTENT_TYPES),
        auth: fc.boolean(),
      })
      .map(({ route, id, query, body, type, auth }): [Request, string] => {
        const headers: Record<string, string> = auth ? { ...AUTH } : {};
        if (body !== undefined && type !== '') headers['content-type'] = type;
        const request: Request = { method: route.method, url: urlFor(route, id, query), headers };
        if (body !== undefined && route.method !== 'GET') request.payload = JSON.stringify(body);
        return [request, route.path];
      });
    await fc.assert(
      fc.asyncProperty(request, async ([req, route]) => {
        const problem = await walker.hit(req, route);
        return problem === undefined;
      }),
      { seed: SEED, numRuns: 2000 },
    );
    walker.expectClean(2000);
  }, 120_000);

  it('with reads protected and the rate limiter on, refusals are envelopes too', async () => {
    const { walker, routes } = await setup({ protectReads: true, rateLimitPerMinute: 40 });
    let unauthorized = 0;
    let limited = 0;
    for (const route of routes) {
      for (const headers of [{}, { authorization: 'Bearer nope' }, AUTH]) {
        const response = await walker.app.inject({
          method: route.method,
          url: urlFor(route),
          headers,
        });
        if (response.statusCode === 401) unauthorized += 1;
        if (response.statusCode === 429) limited += 1;
        await walker.hit({ method: route.method, url: urlFor(route), headers }, route.path);
      }
    }
    expect(unauthorized).toBeGreaterThan(0);
    expect(limited).toBeGreaterThan(0);
    walker.expectClean(routes.length * 3);
  }, 60_000);

  it('answers 409, not 500, for the monitor route when the manager runs without a monitor', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-junk-'));
    const manager = createManager({ adapters: [memoryMiner], dataDir, monitor: false });
    const { app } = await buildApp({ manager, token: TEST_TOKEN });
    onTestFinished(async () => {
      await app.close();
      await manager.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const response = await app.inject({ method: 'GET', url: '/api/v1/system/monitor' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'E_MONITOR_DISABLED' } });
  });
});
