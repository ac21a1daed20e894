import type { z } from "@hono/zod-openapi";

/** `[3].info.subjective_inputs[0].type`: array indexes in brackets, so a batch error names its element. */
export function issuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** Renders zod issues as the NOWATCH `message` array: `"<field path>: <problem>"`. */
export function issueMessages(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issuePath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
