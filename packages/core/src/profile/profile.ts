export { ProfileDataInput, ProfileFields, ProfileLang, ProfileCurrency, atLeastOneField } from "./schema.ts";
export { updateProfileData } from "./data.ts";
export { setRole } from "./role.ts";
