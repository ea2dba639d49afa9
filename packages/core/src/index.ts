export type { RigkitErrorCode, RigkitErrorOptions } from './errors/rigkit-error.js';
export { isRigkitError, RigkitError } from './errors/rigkit-error.js';
