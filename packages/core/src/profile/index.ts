import { update } from "../user/record.ts";
import type { Info } from "../user/schema.ts";
import type { ProfileDataInput } from "./schema.ts";

/** Profile settings (language, currency) and the role. */
export { ProfileDataInput, ProfileFields, ProfileLang, ProfileCurrency, atLeastOneField } from "./schema.ts";
export { setRole } from "./role.ts";

/** Sets `lang` and/or `currency`: one conditional UpdateItem. */
export const updateProfileData = (id: string, input: ProfileDataInput): Promise<Info> => {
  const set: { lang?: string; currency?: string } = {};
  if (input.lang !== undefined) set.lang = input.lang;
  if (input.currency !== undefined) set.currency = input.currency;
  return update(id, { set });
};
