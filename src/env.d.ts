// Secrets are not in wrangler.toml, so `wrangler types` cannot see them; they are declared here. The generated file
// declares the Worker's env under two names that no longer derive from each other (both extend `__BaseEnv_Env`): the
// global `Env` (handlers, Hono's `Bindings`) and `Cloudflare.Env` (`env` from "cloudflare:workers"). Both get them.
interface NowatchSecrets {
  /** JSON object `{ "<clientId>": "<secret>" }` of the app clients allowed on the auth routes. */
  APP_CLIENTS?: string;
  /** The private ES256 JWK (JSON) that signs tokens; its public half is served at /.well-known/jwks.json. */
  JWT_PRIVATE_JWK?: string;
  /** Optional JSON array of retired public JWKs still accepted while their tokens live out. */
  JWT_PREVIOUS_PUBLIC_JWKS?: string;
  /** The private Ed25519 JWK (JSON, `kty: OKP`) that signs firmware manifests; its public half is served at
   * /.well-known/firmware-signing-keys.json. */
  FIRMWARE_SIGNING_JWK?: string;
  /** Optional JSON array of retired public firmware JWKs, still served so watches verify manifests they hold. */
  FIRMWARE_PREVIOUS_PUBLIC_JWKS?: string;
  /** The key (any string of at least 32 characters) of the HMAC that turns a user id into the pseudonymous user key
   * telemetry records carry (docs/telemetry.md "Pseudonymous user key"); locally a fixed development key. */
  TELEMETRY_PSEUDONYM_KEY?: string;
  /** HTTP mail API endpoint and key; without them mail is only written to the outbox table. */
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
}

interface Env extends NowatchSecrets {}

declare namespace Cloudflare {
  interface Env extends NowatchSecrets {}
}
