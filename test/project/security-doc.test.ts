import { describe, expect, it } from "vitest";
import doc from "../../docs/security.md?raw";

/** docs/security.md names, for each control, the tests that prove it: keep those names true. */
const sources = import.meta.glob("/test/**/*.test.ts", { query: "?raw", import: "default", eager: true });
const flat = (text: string) => text.replace(/\s+/g, " ");
const byPath = new Map(Object.entries(sources).map(([path, text]) => [path.replace(/^\//, ""), flat(text)]));

describe("docs/security.md, controls for the probe's findings", () => {
  const table = doc.slice(doc.indexOf("## Controls for the probe's findings"), doc.indexOf("## Brute-force limits"));
  const rows = table.split("\n").filter((line) => /^\| (\d|CORS)/.test(line));

  it("has a row for every finding of the probe", () => {
    const findings = new Set(rows.map((row) => /^\| (\d+)\./.exec(row)?.[1]).filter(Boolean));
    expect([...findings].sort()).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  it.each(rows.map((row) => [row.slice(2, 60), row]))(
    "%s…: every cited test file exists and holds the cited names",
    (_, row) => {
      const proof = row.split(" | ").at(-1) ?? "";
      const files = [...proof.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1] as string);
      expect(files.length, row).toBeGreaterThan(0);
      const missing = files.filter((file) => !byPath.has(file));
      expect(missing, `cited but missing: ${missing.join(", ")}`).toEqual([]);
      const cited = [...proof.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
      const sourcesOfRow = files.map((file) => byPath.get(file) ?? "").join(" ");
      expect(
        cited.filter((name) => !sourcesOfRow.includes(flat(name))),
        row,
      ).toEqual([]);
    },
  );
});
