import { describe, expect, it } from "vitest";

/**
 * The house's layering rules, checked on the source text: `src/lib/` is below everything (it imports only itself
 * and packages), the pure sharing policy imports no request or storage code, and no source file grows past the
 * size a reader can hold (style.md).
 */

const sources = import.meta.glob("/src/**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true });

const importsOf = (text: string): string[] =>
  [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1] as string);

describe("layers", () => {
  it("reads the sources", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it("src/lib/ imports nothing above it", () => {
    const offenders: string[] = [];
    for (const [path, text] of Object.entries(sources)) {
      if (!path.startsWith("/src/lib/")) continue;
      for (const spec of importsOf(text)) if (spec.startsWith("../")) offenders.push(`${path} -> ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it("the read policy is pure: no Hono, no D1, no store", () => {
    const text = sources["/src/sharing/policy.ts"] ?? "";
    expect(text.length).toBeGreaterThan(0);
    const allowed = ["../db/schema", "../lib/time"];
    expect(importsOf(text).filter((spec) => !allowed.includes(spec))).toEqual([]);
    expect(text).toMatch(/import type \{[^}]*\} from "\.\.\/db\/schema"/);
  });

  it("no source file is over 400 lines", () => {
    const long = Object.entries(sources)
      .map(([path, text]) => [path, text.split("\n").length] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });
});
