declare const __RIGKIT_TESTKIT_VERSION__: string;

/** The version of this `@rigkit/testkit` (replaced at build time from package.json). */
export const TESTKIT_VERSION: string = __RIGKIT_TESTKIT_VERSION__;
