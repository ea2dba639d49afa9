export type { ShareTotals } from './api/share-totals.js';
export { parseShareTotals } from './api/share-totals.js';
