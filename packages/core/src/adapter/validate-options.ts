import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConfigInvalidError, type ConfigIssue } from '../errors/errors.js';

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map(String)
    .join('.');
}

/**
 * Validates `value` with a Standard Schema (zod, valibot, arktype…). Resolves with the parsed
 * output, or rejects with {@link ConfigInvalidError} listing every issue by path.
 */
export async function validateWithSchema<Output>(
  schema: StandardSchemaV1<unknown, Output>,
  value: unknown,
  subject: string,
): Promise<Output> {
  const result = await schema['~standard'].validate(value);
  if (result.issues === undefined) return result.value;
  const issues: ConfigIssue[] = result.issues.map((issue) => ({
    path: pathOf(issue),
    message: issue.message,
  }));
  throw new ConfigInvalidError(subject, issues);
}
