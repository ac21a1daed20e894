/**
 * /docs: an API reference rendered on the server from the OpenAPI document, self-contained (no script or stylesheet
 * from a CDN), so it works offline, under a strict CSP, and is testable without a browser.
 */
type Json = Record<string, unknown>;

const escapeHtml = (text: unknown): string =>
  String(text ?? "").replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** The page's only stylesheet, inline; its hash is what the page's CSP allows (`docsContentSecurityPolicy`). */
const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
code{background:#f3f3f5;padding:0 .25em;border-radius:3px}.op{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.m{font-weight:700;color:#fff;padding:.1em .5em;border-radius:3px}.get{background:#2b7}.post{background:#27c}.put{background:#c80}
.patch{background:#a5c}.delete{background:#c33}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
.meta{color:#666;font-size:13px}.d{color:#333}`;

let csp: Promise<string> | null = null;

/**
 * The page's Content-Security-Policy: nothing may load but its own inline stylesheet, allowed by its SHA-256 (CSP
 * Level 2 hash source), so no `'unsafe-inline'` and no nonce (the page stays cacheable). No script at all; links and
 * navigation are not fetches, so `/openapi.json` still opens. No framing, no `<base>`, no form posts.
 */
export function docsContentSecurityPolicy(): Promise<string> {
  csp ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(STYLE)).then((digest) => {
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  });
  return csp;
}

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  if (typeof schema.$ref === "string") return refName(schema.$ref);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items as Json)}[]`;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.type)) return (schema.type as string[]).join(" | ");
  return String(schema.type ?? "object");
}

function schemaTable(schema: Json | undefined, components: Json): string {
  let target = schema;
  if (target && typeof target.$ref === "string") target = components[refName(target.$ref)] as Json | undefined;
  if (target?.type === "array") return `<p>Array of <code>${escapeHtml(typeOf(target.items as Json))}</code></p>`;
  const properties = target?.properties as Record<string, Json> | undefined;
  if (!properties) return `<p><code>${escapeHtml(typeOf(schema))}</code></p>`;
  const required = new Set((target?.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties)
    .map(
      ([name, prop]) =>
        `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? " *" : ""}</td><td><code>${escapeHtml(typeOf(prop))}</code></td><td>${escapeHtml(prop.description ?? "")}</td></tr>`,
    )
    .join("");
  return `<table><tr><th>field</th><th>type</th><th>notes</th></tr>${rows}</table>`;
}

export function renderDocsPage(document: object): string {
  const doc = document as Json;
  const info = doc.info as Json;
  const components = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ["other"])[0] ?? "other";
      const params = ((op.parameters as Json[] | undefined) ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ", required" : ""}) ${escapeHtml(typeOf(p.schema as Json))} ${escapeHtml(p.description ?? "")}</li>`,
        )
        .join("");
      const body = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const bodyHtml = Object.entries(body)
        .map(
          ([type, media]) =>
            `<h4>Body <code>${escapeHtml(type)}</code></h4>${schemaTable(media.schema as Json, components)}`,
        )
        .join("");
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
        .map(([status, r]) => `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description)}</li>`)
        .join("");
      const html = `<section class="op" id="${escapeHtml(op.operationId)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${op.deprecated ? " <em>deprecated</em>" : ""}</h3>
<p>${escapeHtml(op.summary)}</p>${op.description ? `<p class="d">${escapeHtml(op.description)}</p>` : ""}
<p class="meta">operationId <code>${escapeHtml(op.operationId)}</code>${op.security ? ` · auth ${escapeHtml((op.security as Json[]).map((s) => Object.keys(s).join("+") || "none").join(" or ") || "none (public)")}` : ""}</p>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${bodyHtml}<h4>Responses</h4><ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`).join(" · ");
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join("")}`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(info.title)} ${escapeHtml(info.version)} reference</title>
<style>${STYLE}</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Servers: <code>/nowatch</code> and <code>/</code>.</p>
<nav>${nav}</nav>${sections}</body></html>`;
}
