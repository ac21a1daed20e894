import { createRouter } from "../../http/router";
import accept from "./accept";
import accessLog from "./access-log";
import cancel from "./cancel";
import create from "./create";
import invites from "./invites";
import listShares from "./list-shares";
import reject from "./reject";
import requests from "./requests";
import resend from "./resend";
import sharedSince from "./shared-since";
import stopSharing from "./stop-sharing";
import updateShare from "./update-share";

/**
 * The sharing tag (contract §9): the caller's outgoing shares, and invites and requests both ways. The invite and
 * request twins share one file per step, built from `src/sharing/invitations.ts`:
 *   POST /v1/sharing/invite|request           create.ts       DELETE /v1/sharing/invite|request   cancel.ts
 *   POST /v1/sharing/invite|request/accept    accept.ts       POST /v1/sharing/invite|request/reject  reject.ts
 *   PUT /v1/sharing/invite/resend             resend.ts       GET /v1/sharing/invites/received|sent   invites.ts
 *   GET /v1/sharing/requests/sent|received    requests.ts     GET /v1/sharing                     list-shares.ts
 *   DELETE /v1/sharing                        stop-sharing.ts PATCH /v1/sharing                   update-share.ts
 *   POST /v1/sharing/shared-since             shared-since.ts GET /v1/sharing/access-log          access-log.ts
 */
export function sharingRoutes() {
  const app = createRouter();
  for (const mount of [
    create,
    cancel,
    resend,
    accept,
    reject,
    listShares,
    stopSharing,
    updateShare,
    sharedSince,
    invites,
    requests,
    accessLog,
  ]) {
    mount(app);
  }
  return app;
}
