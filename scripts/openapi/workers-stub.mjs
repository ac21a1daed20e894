// Node.js module hooks for `npm run lint:openapi`: the app's modules import `cloudflare:workers` (for the UserStore
// Durable Object base class), which only workerd provides. Building the OpenAPI document never runs a Durable Object,
// so an empty stand-in is enough to import the app in Node.
const STUB =
  "data:text/javascript,export class DurableObject {} export class WorkerEntrypoint {} export const env = {};";

export async function resolve(specifier, context, next) {
  if (specifier === "cloudflare:workers") return { url: STUB, shortCircuit: true };
  return next(specifier, context);
}
