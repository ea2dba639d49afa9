import { rigkitTsup } from '../../tsup.config.base.js';

export default rigkitTsup(['src/index.ts']);
