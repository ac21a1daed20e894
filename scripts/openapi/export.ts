// `npm run lint:openapi`, step 1: writes the OpenAPI document the Worker serves at /openapi.json to a file, offline
// (no workerd, no network): the same route definitions and OPENAPI_CONFIG, imported into Node.
// Usage: tsx --import ./scripts/openapi/register.mjs scripts/openapi/export.ts [out-file]
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createApp, OPENAPI_CONFIG } from "../../src/app";

const out = process.argv[2] ?? "dist/openapi.json";
const document = createApp().getOpenAPI31Document(OPENAPI_CONFIG);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${out}: ${Object.keys(document.paths ?? {}).length} paths`);
