import type { Hook, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { ApiError } from "./errors";

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

/** The validation hook for every route: a failed zod parse becomes a 400 in the NOWATCH error body. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes whose input types differ
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (!result.success) throw new ApiError("VALIDATION_FAILED", issueMessages(result.error.issues));
};
