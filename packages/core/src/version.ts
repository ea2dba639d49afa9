declare const __RIGKIT_CORE_VERSION__: string;

/** The version of this `@rigkit/core`, checked against each adapter's `meta.core` range. */
export const CORE_VERSION: string = __RIGKIT_CORE_VERSION__;
