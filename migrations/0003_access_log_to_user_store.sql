-- The access log moved into each owner's UserStore (src/user-store/access-log.ts, docs/sharing.md "Access log"):
-- shared reads no longer write to D1. No deployment holds entries yet (pre-1.0), so the table goes without a copy.
DROP TABLE `sharing_access_log`;