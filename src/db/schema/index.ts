export * from "./auth-sessions";
export * from "./beta-access";
export * from "./mail-outbox";
export * from "./one-time-codes";
export * from "./refresh-tokens";
export * from "./sharing";
export * from "./user-settings";
export * from "./users";
