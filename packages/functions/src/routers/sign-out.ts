import { log } from "../log.ts";

/** Cognito's global sign-out is missing in some user pool implementations (cognito-local): say so, once per call. */
export const logSignOut = (procedure: string, userId: string, cognitoSignOut: "done" | "unsupported") => {
  if (cognitoSignOut === "unsupported")
    log.info({ procedure, userId }, "Cognito global sign-out is not supported by this user pool; the service's own revocation applies");
};
