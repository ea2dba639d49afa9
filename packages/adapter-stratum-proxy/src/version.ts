declare const __RIGKIT_ADAPTER_STRATUM_PROXY_VERSION__: string;

/** The version of this `@rigkit/adapter-stratum-proxy`, reported as the adapter's `meta.version`. */
export const ADAPTER_VERSION: string = __RIGKIT_ADAPTER_STRATUM_PROXY_VERSION__;
