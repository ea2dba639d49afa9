import { ErrorEnvelopeSchema } from '@rigkit/client';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { handleFrameworkError, installErrorHandling } from './error-handler.js';

async function tinyApp() {
  const app = Fastify({
    logger: false,
    frameworkErrors: handleFrameworkError,
    routerOptions: { maxParamLength: 20 },
  });
  installErrorHandling(app);
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/empty', async (_request, reply) => reply.code(404).send());
  app.get('/teapot', async (_request, reply) => reply.code(418).send());
  app.get('/text', async (_request, reply) => reply.code(400).send('plain words'));
  await app.ready();
  onTestFinished(() => app.close());
  return app;
}

describe('error envelope outside the error handler', () => {
  it('handleFrameworkError (for Fastify frameworkErrors) answers router errors with the envelope', async () => {
    const app = await tinyApp();
    const badUrl = await app.inject({ method: 'GET', url: '/things/%zz' });
    expect(badUrl.statusCode).toBe(404);
    expect(ErrorEnvelopeSchema.parse(badUrl.json()).error.code).toBe('E_ROUTE_NOT_FOUND');
    expect(badUrl.body).not.toContain('%zz'); // no reflection of the raw path

    const long = await app.inject({ method: 'GET', url: `/things/${'x'.repeat(21)}` });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({
      error: { code: 'E_URI_TOO_LONG', message: 'a path segment is too long' },
    });
    expect((await app.inject({ method: 'GET', url: '/things/ok' })).json()).toEqual({ id: 'ok' });
  });

  it('wraps an error reply sent without a body, and leaves bodies and HEAD alone', async () => {
    const app = await tinyApp();
    const empty = await app.inject({ method: 'GET', url: '/empty' });
    expect(empty.statusCode).toBe(404);
    expect(empty.headers['content-type']).toMatch(/^application\/json/);
    expect(empty.json()).toEqual({ error: { code: 'E_ROUTE_NOT_FOUND', message: 'not found' } });
    const teapot = await app.inject({ method: 'GET', url: '/teapot' });
    expect(teapot.json()).toEqual({ error: { code: 'E_BAD_REQUEST', message: 'request failed' } });
    expect((await app.inject({ method: 'GET', url: '/text' })).body).toBe('plain words');
    const head = await app.inject({ method: 'HEAD', url: '/empty' });
    expect(head.statusCode).toBe(404);
    expect(head.body).toBe('');
  });
});
