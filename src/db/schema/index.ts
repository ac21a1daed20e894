export * from "./beta-access";
export * from "./mail-outbox";
export * from "./password-resets";
export * from "./refresh-tokens";
export * from "./sharing";
export * from "./user-settings";
export * from "./users";
