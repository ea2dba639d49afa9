/**
 * A self-signed certificate (P-256, valid until 2126, CN rigkit-test-pool) for the TLS test
 * pool. A test-only key: it protects nothing. xmrig does not verify pool certificates unless a
 * fingerprint is pinned, so the simulator accepts it.
 */
export const TEST_POOL_TLS = Object.freeze({
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAzJeRUn0wEFVbCoK
MUZdcSljfUnkIEg7r4DnFLfxe9WhRANCAARjQiF6m/wiVVsUvcWzeIkBJfY3InPP
spPMTAcYSCg+b4ftrD0YsUzNsyxouj4rkOpbkmAlxz3ftyw5iT0fqleI
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBjjCCATOgAwIBAgIUF4qptfo7aA5dK59tFQ5uEYzw76cwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQcmlna2l0LXRlc3QtcG9vbDAgFw0yNjExMjUwMjEzNDlaGA8y
MTI2MTEwMTAyMTM0OVowGzEZMBcGA1UEAwwQcmlna2l0LXRlc3QtcG9vbDBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABGNCIXqb/CJVWxS9xbN4iQEl9jcic8+yk8xM
BxhIKD5vh+2sPRixTM2zLGi6PiuQ6luSYCXHPd+3LDmJPR+qV4ijUzBRMB0GA1Ud
DgQWBBRqon41em1rseI/fGFvwNctRBJYDjAfBgNVHSMEGDAWgBRqon41em1rseI/
fGFvwNctRBJYDjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDh
x9uZ6MeKwN8xTO7DaqaMm79mp2uJ32ATQvKSb1O5mQIhAOox588i5yV3kwCEMPtn
e3LRiVxXQH146TOK6W1Azhtq
-----END CERTIFICATE-----
`,
  /** SHA-256 of the certificate, as xmrig prints it (lower-case hex). */
  fingerprint: '1051f821e218d64dee22f44bdd36bfefa75b2e5e34c957af3ac2567bc44dcc8a',
});
