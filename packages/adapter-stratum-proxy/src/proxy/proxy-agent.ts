/** The user agent the proxy announces to pools. */
export const PROXY_AGENT = 'rigkit-proxy/0.1';
