export { login, type Tokens } from "./login.ts";
export { verifyToken, sessionStartOf, type TokenUse, type VerifiedToken } from "./verifier.ts";
export { ClientIp } from "./client-address.ts";
