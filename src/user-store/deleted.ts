/**
 * A UserStore whose account was deleted refuses every call with this error (docs/auth.md "Account deletion").
 * Errors cross Durable Object RPC as plain `Error`s whose message is `"<name>: <message>"` for a custom class, so the
 * Worker recognizes it by the end of the message.
 */
export const STORE_DELETED_MESSAGE = "UserStore: the account was deleted";

export class StoreDeletedError extends Error {
  constructor() {
    super(STORE_DELETED_MESSAGE);
    this.name = "StoreDeletedError";
  }
}

export function isStoreDeleted(error: unknown): boolean {
  return error instanceof Error && error.message.endsWith(STORE_DELETED_MESSAGE);
}
