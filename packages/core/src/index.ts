export { User } from "./user/index.ts";
export { Auth } from "./auth/index.ts";
export { AppError, isAppError, type ErrorCode } from "./errors.ts";
export { Config } from "./config.ts";
export { TableDefinition } from "./dynamo/table.ts";
export { Badge } from "./badge/index.ts";
export { BADGES, badgeIconKey, badgeIconsDir } from "./badge/catalog.ts";
export { ApiKey } from "./apikey/index.ts";
export { SCOPES, type Scope } from "./dynamo/entities/apikey.ts";
