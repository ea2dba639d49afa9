declare const __RIGKIT_ADAPTER_XMRIG_VERSION__: string;

/** The version of this `@rigkit/adapter-xmrig`, reported as the adapter's `meta.version`. */
export const ADAPTER_VERSION: string = __RIGKIT_ADAPTER_XMRIG_VERSION__;
