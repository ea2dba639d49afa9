import { rigkitTsup } from '../../tsup.config.base.js';

// Code splitting keeps each command (and what it imports: the client, zod, ws, the server) in
// its own chunk, loaded by the action that needs it: `rigkit --version` loads none of them.
export default rigkitTsup(['src/index.ts', 'src/bin.ts'], { splitting: true });
