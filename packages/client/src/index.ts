export { API_PREFIX, apiUrl } from './api-url.js';
export * from './schemas/common.js';
export * from './schemas/events.js';
export * from './schemas/history.js';
export * from './schemas/logs.js';
export * from './schemas/miner.js';
export * from './schemas/sample.js';
export * from './schemas/system.js';
