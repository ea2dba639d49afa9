export {
  type CreateTtminerAdapterOptions,
  createTtminerAdapter,
  TTMINER_WARMUP_MS,
  type TtminerAdapter,
  ttminerAdapter,
  ttminerAdapter as default,
} from './adapter/create-ttminer-adapter.js';
export type { TtminerSession } from './adapter/ttminer-session.js';
export { getstat1Result } from './api/getstat1-result.js';
export {
  MAX_GPUS,
  type ParseMinerGetstat1Options,
  parseMinerGetstat1,
} from './api/parse-miner-getstat1.js';
export { parseShareTotals, type ShareTotals } from './api/share-totals.js';
export {
  MAX_API_LINE_BYTES,
  TtminerApiClient,
  type TtminerApiClientOptions,
} from './api/ttminer-api-client.js';
export { toTtminerArgs, toTtminerPoolArg } from './command/to-ttminer-args.js';
export type { TtminerApiBind } from './command/ttminer-api-bind.js';
export { type DetectTtminerOptions, detectTtminer } from './detect/detect-ttminer.js';
export { parseTtminerVersion } from './detect/parse-ttminer-version.js';
export { EXTRA_ARG_RULES, type ExtraArgRule } from './options/extra-args.js';
export {
  type TtminerOptions,
  type TtminerOptionsInput,
  type TtminerPoolOptions,
  ttminerOptionsSchema,
} from './options/ttminer-options.js';
export { parseTtminerLine, type TtminerEventType } from './stdout/parse-ttminer-line.js';
export {
  TTMINER_LINE_EXAMPLES,
  TTMINER_LINE_TEMPLATES,
  type TtminerLineExample,
} from './stdout/ttminer-line-examples.js';
