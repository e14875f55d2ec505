export { forgot, RESET_TTL_SECONDS, type ResetTicket } from "./forgot.ts";
export { reset } from "./reset.ts";
export { change } from "./change.ts";
export { removePendingReset } from "./codes.ts";
export { ResetCode } from "./schema.ts";
