/**
 * Every procedure's required credential, written down by hand. The auth matrix checks that the
 * router's procedures are exactly these and that each enforces what is written here, so a new
 * procedure cannot ship without someone deciding who may call it.
 *   "bearer"         — a user's Cognito token
 *   "apiKey:<scope>" — a machine key carrying that scope (read, write, auth = login/refresh/verify,
 *                      recovery = password forgot/reset, admin)
 *   "public"         — anyone
 */
export const ACCESS: Record<
  string,
  "bearer" | "public" | `apiKey:${"read" | "write" | "auth" | "recovery" | "admin"}`
> = {
  "auth.login": "apiKey:auth",
  "auth.verify": "apiKey:auth",
  "user.register": "apiKey:write",
  "user.activate": "apiKey:write",
  "user.byId": "apiKey:read",
  "user.byName": "apiKey:read",
  "user.byEmail": "apiKey:read",
  "user.byHandle": "apiKey:read",
  "user.setStatus": "apiKey:admin",
  "user.replaceData": "apiKey:write",
  "user.mergeData": "apiKey:write",
  "user.issueBadge": "apiKey:write",
  "user.revokeBadge": "apiKey:write",
  "user.delete": "apiKey:admin",
  "user.events": "apiKey:read",
  "public.me": "bearer",
  "public.events": "bearer",
  "admin.createKey": "apiKey:admin",
  "admin.listKeys": "apiKey:admin",
  "admin.revokeKey": "apiKey:admin",
  "admin.rotateKey": "apiKey:admin",
  "password.forgot": "apiKey:recovery",
  "password.reset": "apiKey:recovery",
  "password.change": "bearer",
  "session.refresh": "apiKey:auth",
  "session.logout": "bearer",
  "avatar.requestOwnUpload": "bearer",
  "avatar.confirmOwn": "bearer",
  "avatar.requestUpload": "apiKey:write",
  "avatar.confirm": "apiKey:write",
  "profile.updateOwn": "bearer",
  "profile.update": "apiKey:write",
  "profile.setRole": "apiKey:admin",
  "directory.list": "apiKey:read",
  "webhooks.deadLetters": "apiKey:admin",
};
