// `node --import ./scripts/openapi/register.mjs`: installs the `cloudflare:workers` stand-in (workers-stub.mjs).
import { register } from "node:module";

register("./workers-stub.mjs", import.meta.url);
