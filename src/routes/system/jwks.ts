import { createRoute, z } from "@hono/zod-openapi";
import { jwks } from "../../auth/tokens";
import { PUBLIC, type Router } from "../../http/router";
import { jsonResponse } from "../../lib/schemas";

const JwkSchema = z.object({
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  y: z.string(),
  kid: z.string(),
  alg: z.string(),
  use: z.string(),
});

const route = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "jwks",
  tags: ["system"],
  summary: "Public keys that verify NOWATCH tokens",
  description:
    "The current signing key's public half plus retired ones. Cacheable: `Cache-Control: public, max-age=300`.",
  security: PUBLIC,
  responses: { 200: jsonResponse(z.object({ keys: z.array(JwkSchema) }).openapi("Jwks"), "JSON Web Key Set") },
});

export default function mount(app: Router) {
  app.openapi(route, (c) => {
    return c.json(jwks(c.env), 200);
  });
}
