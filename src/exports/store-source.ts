import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { listDashboards } from "../db/dashboards";
import { userSettings } from "../db/schema";
import { findStatisticsProfile, findUserById } from "../db/users";
import { toSharedDashboard } from "../routes/shared/schemas";
import { toUserDto } from "../routes/user/dto";
import { statisticDocuments, statisticsQuery } from "../statistics/documents";
import { userStore } from "../user-store/user-store";
import type { ExportSource, ProfileFiles } from "./source";

/**
 * The archive's reads from the owner's UserStore (one RPC per window, the access record riding along as on every
 * shared read) and from D1 (profile, settings, the shared card). Records and profiles take the wire shapes of their
 * routes, so a client's parsers read an export unchanged.
 */
export function storeSource(env: Pick<Env, "USER_STORE">, db: Db): ExportSource {
  return {
    measurementDays: (ownerId, type, startDay, endDay, access) =>
      userStore(env, ownerId).readMeasurementDays(type, startDay, endDay, "ASC", access),

    async records(ownerId, kind, window, access) {
      const store = userStore(env, ownerId);
      switch (kind) {
        case "SESSIONS": {
          const json = await store.listSessionsJson({ from: window.from, to: window.to, kind: null }, access);
          return json === null ? null : (JSON.parse(json) as unknown[]);
        }
        case "CHECKINS":
          return store.listCheckins(window.from, window.to, access);
        case "DAY_FEEDBACK":
          return store.listDayFeedback(window.startDay, window.endDay, window.since, access);
        case "INSIGHTS":
          return store.listInsights(window.startDay, window.endDay, window.since, access);
      }
    },

    async statistics(ownerId, request, access) {
      const profile = await findStatisticsProfile(db, ownerId);
      if (!profile) return [];
      const query = statisticsQuery(profile, request, Date.now());
      if (query.days.length === 0) return [];
      const results = await userStore(env, ownerId).statistics(query, access);
      return statisticDocuments(results, query, "DAY");
    },

    async profile(ownerId, viewerId): Promise<ProfileFiles> {
      if (ownerId === viewerId) {
        const [user, settings] = await Promise.all([
          findUserById(db, ownerId),
          db.select().from(userSettings).where(eq(userSettings.userId, ownerId)).get(),
        ]);
        if (!user) return { files: {}, person: {} };
        return {
          files: {
            "profile.json": toUserDto(user),
            "settings.json": settings
              ? {
                  settings: JSON.parse(settings.settings),
                  createdAt: settings.createdAt,
                  updatedAt: settings.updatedAt,
                }
              : { settings: {}, createdAt: user.createdAt, updatedAt: user.createdAt },
          },
          person: {
            given: user.firstName,
            family: user.lastName,
            gender: user.gender,
            birthDate: user.dateOfBirth?.slice(0, 10) ?? null,
          },
        };
      }
      const [row] = await listDashboards(db, viewerId, new Date().toISOString(), ownerId);
      if (!row) return { files: {}, person: {} };
      const card = toSharedDashboard(row);
      return { files: { "profile.json": card }, person: { given: card.customName } };
    },
  };
}
