/**
 * Object keys that trip naive code: prototype members, and `__proto__`, which JSON.parse keeps as an
 * own key but a plain assignment does not. The property tests mix them into the keys they generate.
 */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
];
