import { z } from "zod";

/**
 * A string input with its maximum length, checked first: every string the API takes is built on
 * this, and its pattern or costly checks come after. `abort: true` makes a failed length check
 * stop the value's other checks (zod 4 runs them all by default), so no pattern, `Intl` call or
 * password-list lookup ever runs on an oversized value (test/security/bounds.test.ts).
 */
export const bounded = (max: number, message?: string) =>
  z.string().max(max, { abort: true, ...(message ? { message } : {}) });
