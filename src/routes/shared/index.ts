import { createRouter } from "../../http/router";
import createGroup from "./create-group";
import custom from "./custom";
import deleteGroup from "./delete-group";
import groupMembers from "./group-members";
import list from "./list";
import listGroups from "./list-groups";
import remove from "./remove";
import renameGroup from "./rename-group";

/** The shared tag (contract §10): dashboards others share with the caller, their personalisation and groups. */
export function sharedRoutes() {
  const app = createRouter();
  for (const mount of [list, remove, custom, listGroups, createGroup, renameGroup, deleteGroup, groupMembers]) {
    mount(app);
  }
  return app;
}
