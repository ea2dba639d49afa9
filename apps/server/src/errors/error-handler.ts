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
};

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

  app.setNotFoundHandler(function notFound(request, reply) {
    return reply
      .code(404)
      .send(
        envelope('E_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      );
  });
}
