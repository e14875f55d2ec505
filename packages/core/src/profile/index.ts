import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { toInfo } from "../user/info.ts";
import { get, updateIf } from "../user/record.ts";
import type { Info } from "../user/schema.ts";
import type { ProfileDataInput } from "./schema.ts";

/** Profile settings (language, currency) and the role. */
export { ProfileDataInput, ProfileFields, ProfileLang, ProfileCurrency, atLeastOneField } from "./schema.ts";
export { setRole } from "./role.ts";

/**
 * Sets `lang` and/or `currency`. The fields that change, and only those, are written with their
 * `user.profile_updated` event (its data: their new values), on condition that they still hold
 * the values read; setting what the user already has writes nothing and records nothing.
 */
export const updateProfileData = async (id: string, input: ProfileDataInput, audit: Audit = SYSTEM): Promise<Info> => {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const user = await get(id, { consistent: true });
    const set: { lang?: string; currency?: string } = {};
    if (input.lang !== undefined && input.lang !== user.lang) set.lang = input.lang;
    if (input.currency !== undefined && input.currency !== user.currency) set.currency = input.currency;
    if (Object.keys(set).length === 0) return toInfo(user);
    const updated = await updateIf(
      id,
      { lang: user.lang, currency: user.currency },
      { set },
      { record: { audit, events: [{ type: "user.profile_updated", data: set }] } },
    );
    if (updated) return updated;
  }
  throw new AppError("CONFLICT", "The profile changed meanwhile; retry", { retryAfterSeconds: 1 });
};
