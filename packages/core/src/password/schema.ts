import { bounded } from "../schema-bounds.ts";

/** A reset code as `forgot` hands it out: 21 URL-safe characters (the activation code's format). */
export const ResetCode = bounded(21, "a 21-character reset code").regex(/^[A-Za-z0-9_-]{21}$/, "a 21-character reset code");
