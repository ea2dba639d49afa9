export { parseDifficulty } from './api/difficulty.js';
