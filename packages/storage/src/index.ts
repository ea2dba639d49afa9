export type { OpenSqliteOptions } from './sqlite/open-sqlite.js';
export { openSqlite } from './sqlite/open-sqlite.js';
