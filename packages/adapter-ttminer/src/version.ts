declare const __RIGKIT_ADAPTER_TTMINER_VERSION__: string;

/** The version of this `@rigkit/adapter-ttminer`, reported as the adapter's `meta.version`. */
export const ADAPTER_VERSION: string = __RIGKIT_ADAPTER_TTMINER_VERSION__;
