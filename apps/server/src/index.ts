export { isLoopbackHost } from './security/loopback.js';
