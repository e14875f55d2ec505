export { revokeSessions, type Revocation } from "./revoke.ts";
export { refresh, sessionStart, type RefreshedTokens } from "./refresh.ts";
