export { login, type Tokens } from "./login.ts";
export { verifyToken, type TokenUse, type VerifiedToken } from "./verifier.ts";
