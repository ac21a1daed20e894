/**
 * Semantic Versioning 2.0.0 (semver.org): parsing with the specification's own grammar and precedence (§11), which is
 * all the update decision needs: never a downgrade, stepping stones by `min_version`.
 */

/** The regular expression semver.org suggests, anchored: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading zeros. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Versions are short; this also keeps numeric parts within safe integers. */
export const MAX_VERSION_LENGTH = 64;

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly string[];
  build: string | null;
}

export function parseSemver(text: string): SemVer | null {
  if (text.length > MAX_VERSION_LENGTH) return null;
  const m = SEMVER.exec(text);
  if (!m) return null;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![major, minor, patch].every(Number.isSafeInteger)) return null;
  return { major, minor, patch, prerelease: m[4] ? m[4].split(".") : [], build: m[5] ?? null };
}

export function isSemver(text: string): boolean {
  return parseSemver(text) !== null;
}

/** The version without build metadata: two versions with the same key have the same precedence (§10). */
export function precedenceKey(text: string): string {
  const plus = text.indexOf("+");
  return plus < 0 ? text : text.slice(0, plus);
}

const NUMERIC = /^\d+$/;

/** Precedence (§11): negative when a < b, 0 when equal (build metadata ignored), positive when a > b. */
export function compareSemver(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  const pa = a.prerelease;
  const pb = b.prerelease;
  // A version without pre-release fields is greater than one with (§11.3).
  if (pa.length === 0 || pb.length === 0) return Math.sign(pb.length - pa.length);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const xn = NUMERIC.test(x);
    const yn = NUMERIC.test(y);
    if (xn && yn) return Math.sign(Number(x) - Number(y));
    if (xn !== yn) return xn ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    return x < y ? -1 : 1; // ASCII order
  }
  return Math.sign(pa.length - pb.length);
}

/** compareSemver on strings that are known to be valid versions. */
export function compareVersions(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new TypeError(`not semantic versions: ${a}, ${b}`);
  return compareSemver(pa, pb);
}
