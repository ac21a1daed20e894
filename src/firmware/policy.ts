import type { ReleaseRow } from "../db/firmware";
import type { FirmwareChannel } from "../db/schema";
import { inRollout } from "./rollout";
import { compareSemver, parseSemver, type SemVer } from "./semver";

/**
 * Which releases a user's watch sees, and which one it should install (docs/firmware.md "What a watch is offered").
 * Pure: the routes load the candidates, this decides.
 */

export interface Viewer {
  id: string;
  isEarlyAccess: boolean;
}

/** Beta releases go to early-access users only. */
export function channelsFor(viewer: Viewer): FirmwareChannel[] {
  return viewer.isEarlyAccess ? ["stable", "beta"] : ["stable"];
}

/** Published, in a channel the viewer may use, and the viewer inside the staged rollout. */
export function isVisible(release: ReleaseRow, viewer: Viewer): boolean {
  return (
    release.status === "published" &&
    channelsFor(viewer).includes(release.channel) &&
    inRollout(release.id, viewer.id, release.rolloutPercent)
  );
}

/**
 * Whether the viewer may report on the release: it was offered to them (not a draft, their channel, inside the
 * rollout), or they reported on it before. A release halted, retired or narrowed after a watch took it still takes
 * that watch's outcome.
 */
export function mayReport(release: ReleaseRow, viewer: Viewer, reportedBefore: boolean): boolean {
  if (reportedBefore) return true;
  return (
    release.status !== "draft" &&
    channelsFor(viewer).includes(release.channel) &&
    inRollout(release.id, viewer.id, release.rolloutPercent)
  );
}

export interface Update {
  release: ReleaseRow;
  /** Some newer visible release is mandatory, and this one is on the way to it (or is it). */
  mandatory: boolean;
  /** A newer visible release exists that cannot be installed from `current`: this one is the step towards it. */
  steppingStone: boolean;
}

/**
 * The release to install from `current`: the highest version above it among the visible candidates whose
 * `min_version` (if any) `current` satisfies. Never a downgrade, never a re-install of the same version. Null when
 * up to date. Candidates are expected to fit the watch's hardware revision.
 */
export function chooseUpdate(candidates: readonly ReleaseRow[], viewer: Viewer, current: SemVer): Update | null {
  const newer = candidates
    .filter((r) => isVisible(r, viewer))
    .map((r) => ({ release: r, version: parseSemver(r.version) as SemVer }))
    .filter((c) => compareSemver(c.version, current) > 0)
    .sort((a, b) => compareSemver(b.version, a.version));
  const installable = newer.find(({ release }) => {
    const min = release.minVersion === null ? null : parseSemver(release.minVersion);
    return min === null || compareSemver(current, min) >= 0;
  });
  if (!installable) return null;
  return {
    release: installable.release,
    mandatory: newer.some((c) => c.release.mandatory),
    steppingStone: newer[0]?.release.id !== installable.release.id,
  };
}
