import { describe, expect, it } from "vitest";
import { checkAppClient } from "../src/auth/app-client";
import { appClients, ConfigError, publicJwks, signingJwk } from "../src/config";

const PROD_KEY = JSON.stringify({
  kty: "EC",
  crv: "P-256",
  x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
  d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
  kid: "prod-1",
});

describe("configuration", () => {
  it("accepts the development client only when NOWATCH_ENV is local", () => {
    expect(appClients({ NOWATCH_ENV: "local" }).get("nowatch-dev")).toBe("dev-secret");
    expect(appClients({ NOWATCH_ENV: "production" }).has("nowatch-dev")).toBe(false);
  });

  it("drops development credentials configured by mistake in production", () => {
    const clients = appClients({
      NOWATCH_ENV: "production",
      APP_CLIENTS: JSON.stringify({ "nowatch-dev": "dev-secret", ios: "dev-secret", android: "s3cr3t-value" }),
    });
    expect([...clients.keys()]).toEqual(["android"]);
    const header = btoa("dev-secret+nowatch-dev");
    expect(checkAppClient(header, clients)).toBe("unknown_client");
    expect(checkAppClient(btoa("s3cr3t-value+android"), clients)).toBeNull();
  });

  it("lets a secret contain '+' (the client id is after the last '+')", () => {
    const clients = new Map([["ios", "a+b+c"]]);
    expect(checkAppClient(btoa("a+b+c+ios"), clients)).toBeNull();
    expect(checkAppClient(btoa("a+b+ios"), clients)).toBe("wrong_secret");
  });

  it("refuses to sign without a configured key outside local development", () => {
    expect(() => signingJwk({ NOWATCH_ENV: "production" })).toThrow(ConfigError);
    expect(signingJwk({ NOWATCH_ENV: "local" }).kid).toBe("nowatch-dev-1");
  });

  it("refuses the development key in production and uses the configured one", () => {
    const dev = JSON.stringify(signingJwk({ NOWATCH_ENV: "local" }));
    expect(() => signingJwk({ NOWATCH_ENV: "production", JWT_PRIVATE_JWK: dev })).toThrow(ConfigError);
    expect(signingJwk({ NOWATCH_ENV: "production", JWT_PRIVATE_JWK: PROD_KEY }).kid).toBe("prod-1");
  });

  it("publishes only public key material, including retired keys", () => {
    const keys = publicJwks({
      NOWATCH_ENV: "production",
      JWT_PRIVATE_JWK: PROD_KEY,
      JWT_PREVIOUS_PUBLIC_JWKS: JSON.stringify([{ kty: "EC", crv: "P-256", x: "a", y: "b", kid: "old", d: "leak" }]),
    });
    expect(keys.map((k) => k.kid)).toEqual(["prod-1", "old"]);
    expect(keys.every((k) => k.d === undefined)).toBe(true);
  });
});
