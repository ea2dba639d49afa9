export { targetToDifficulty } from './cryptonote/target.js';
