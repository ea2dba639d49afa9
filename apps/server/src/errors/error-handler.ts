import { isRigkitError } from '@rigkit/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { httpStatusFor } from './http-status.js';

interface Envelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function envelope(code: string, message: string, details?: Record<string, unknown>): Envelope {
  return details === undefined
    ? { error: { code, message } }
    : { error: { code, message, details } };
}

/** Maps fastify's own error codes (parser, limits) to ours. */
const FASTIFY_CODES: Readonly<Record<string, [string, number, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['E_BODY_TOO_LARGE', 413, 'request body is too large'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['E_BAD_JSON', 400, 'request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['E_BAD_JSON', 400, 'request body is empty but JSON was declared'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['E_UNSUPPORTED_MEDIA_TYPE', 415, 'unsupported content type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['E_BAD_JSON', 400, 'content length does not match the body'],
  FST_ERR_BAD_URL: ['E_ROUTE_NOT_FOUND', 404, 'malformed URL'],
  FST_ERR_MAX_PARAM_LENGTH: ['E_URI_TOO_LONG', 414, 'a path segment is too long'],
};

/** Codes for error replies that a plugin sent without a body (see the onSend safety net). */
const EMPTY_BODY_CODES: Readonly<Record<number, [string, string]>> = {
  400: ['E_BAD_REQUEST', 'bad request'],
  401: ['E_UNAUTHORIZED', 'unauthorized'],
  403: ['E_FORBIDDEN', 'forbidden'],
  404: ['E_ROUTE_NOT_FOUND', 'not found'],
  405: ['E_METHOD_NOT_ALLOWED', 'method not allowed'],
  426: ['E_UPGRADE_REQUIRED', 'this path only accepts WebSocket upgrades'],
};

/**
 * For fastify's `frameworkErrors` option: the router answers a malformed URL (`%zz`) or an
 * over-long path parameter itself, before any hook or error handler runs, with fastify's own
 * body. Passing this handler makes those answers use the envelope too.
 */
export function handleFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const [code, status, message] = (error.code ? FASTIFY_CODES[error.code] : undefined) ?? [
    'E_BAD_REQUEST',
    400,
    'bad request',
  ];
  reply.code(status).send(envelope(code, message));
}

/**
 * Installs the one error envelope `{ error: { code, message, details? } }` for every failure.
 * Client mistakes get 4xx with field paths; our own bugs get a 500 that reveals nothing.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(function handleError(
    error: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const issues = error.validation.map((issue) => ({
        path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'invalid',
      }));
      return reply
        .code(400)
        .send(
          envelope(
            'E_VALIDATION',
            `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
            { issues },
          ),
        );
    }
    if (isRigkitError(error)) {
      const status = httpStatusFor(error.code);
      if (status >= 500) request.log.error({ code: error.code }, 'request failed');
      const details = error.details as Record<string, unknown> | undefined;
      return reply.code(status).send(envelope(error.code, error.message, details));
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return reply.code(mapped[1]).send(envelope(mapped[0], mapped[2]));
    if (error.statusCode === 429) {
      return reply.code(429).send(envelope('E_RATE_LIMITED', 'too many requests; slow down'));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(envelope('E_BAD_REQUEST', 'bad request'));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(envelope('E_INTERNAL', 'internal error'));
  });

  // Safety net: a plugin that answers an error without a body (e.g. @fastify/websocket's 404
  // for a plain GET on a WebSocket route) still produces the envelope.
  app.addHook('onSend', function envelopeEmptyErrors(request, reply, payload, done) {
    const empty = payload === undefined || payload === null || payload === '';
    if (!empty || reply.statusCode < 400 || request.method === 'HEAD') {
      done(null, payload);
      return;
    }
    const [code, message] = EMPTY_BODY_CODES[reply.statusCode] ?? [
      reply.statusCode >= 500 ? 'E_INTERNAL' : 'E_BAD_REQUEST',
      reply.statusCode >= 500 ? 'internal error' : 'request failed',
    ];
    reply.header('content-type', 'application/json; charset=utf-8');
    done(null, JSON.stringify(envelope(code, message)));
  });

  app.setNotFoundHandler(function notFound(request, reply) {
    return reply
      .code(404)
      .send(
        envelope('E_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      );
  });
}
