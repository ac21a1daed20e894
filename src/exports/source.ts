import type { MeasurementType } from "../measurements/types";
import type { StatisticDocument, StatisticsRequest } from "../statistics/documents";
import type { AccessRecord } from "../user-store/access-log";
import type { StoredDay } from "../user-store/measurement-store";
import type { RecordKind } from "./types";

/**
 * Everything an archive reads, one owner at a time (src/exports/store-source.ts reads the UserStore and D1; the
 * benchmark and tests read fakes). Each method takes the access record of a read through a share, or null; the
 * archive passes it on the first read of each type only, so a type read in many windows is logged once.
 */
export interface ExportSource {
  /** Stored chunks of [startDay, endDay] (Unix seconds of UTC midnights, inclusive), ascending. */
  measurementDays(
    ownerId: string,
    type: MeasurementType,
    startDay: number,
    endDay: number,
    access: AccessRecord | null,
  ): Promise<StoredDay[]>;
  /**
   * The records of one kind as the list route answers them (each element a JSON value), for an instant range
   * [from, to) (ISO UTC; sessions and check-ins) and the matching day range (day feedback and insights), cut at
   * `since` (ISO, null uncut). Null when the window holds more than one list answers.
   */
  records(
    ownerId: string,
    kind: RecordKind,
    window: RecordWindow,
    access: AccessRecord | null,
  ): Promise<unknown[] | null>;
  statistics(ownerId: string, request: StatisticsRequest, access: AccessRecord | null): Promise<StatisticDocument[]>;
  /** The owner's profile and settings (GET /v1/user, GET /v1/user/settings), or for another user the card. */
  profile(ownerId: string, viewerId: string): Promise<ProfileFiles>;
}

export interface RecordWindow {
  from: string;
  to: string;
  startDay: string;
  endDay: string;
  since: string | null;
}

export interface ProfileFiles {
  /** File name (no folder) → JSON value. */
  files: Record<string, unknown>;
  /** For the FHIR Patient: what the profile tells of the person. */
  person: {
    given?: string;
    family?: string;
    gender?: "FEMALE" | "MALE" | "OTHER" | null;
    birthDate?: string | null;
  };
}
