import { createRoute } from "@hono/zod-openapi";
import { firmwareJwks } from "../../firmware/signing";
import { PUBLIC, type Router } from "../../http/router";
import { jsonResponse } from "../../lib/schemas";
import { FirmwareJwksSchema } from "../firmware/schemas";

const route = createRoute({
  method: "get",
  path: "/.well-known/firmware-signing-keys.json",
  operationId: "firmwareSigningKeys",
  tags: ["system"],
  summary: "Public keys that verify firmware manifests",
  description:
    "A JWKS of Ed25519 keys (`kty: OKP`, `alg: EdDSA`): the current signing key's public half, then retired ones still trusted. A watch or phone keeps a copy to verify manifests offline. Cacheable: `Cache-Control: public, max-age=3600`.",
  security: PUBLIC,
  responses: { 200: jsonResponse(FirmwareJwksSchema, "JSON Web Key Set") },
});

export default function mount(app: Router) {
  app.openapi(route, (c) => {
    c.header("cache-control", "public, max-age=3600");
    return c.json(firmwareJwks(c.env) as never, 200);
  });
}
