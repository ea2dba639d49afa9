export { API_PREFIX, apiUrl } from './api-url.js';
