import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { render, sourceList, TARGET } from "../../scripts/common-passwords.ts";
import { isCommonPassword } from "./common.ts";
import { NewPassword } from "./schema.ts";

describe("the common-password list", () => {
  it("is the committed output of `npm run passwords` for the installed source package", () => {
    expect(readFileSync(TARGET, "utf8")).toBe(render());
  });

  it("refuses every one of the 10,000 most common passwords (by length or by the list), in any case", () => {
    const top = sourceList().slice(0, 10_000);
    expect(top).toHaveLength(10_000);
    const accepted = top
      .flatMap((p) => [p, p.toUpperCase(), p.charAt(0).toUpperCase() + p.slice(1)])
      .filter((p) => NewPassword.safeParse(p).success);
    expect(accepted).toEqual([]);
  });

  it("lets through what is long and not on the list, spaces and all, with no composition rules", () => {
    for (const p of [
      "correct horse battery staple",
      "zzzzzzzzzzzzzzzz-not-listed",
      "ünïcødé pässwörd",
      "1234 5678 9012 3456 7",
    ]) {
      expect(isCommonPassword(p), p).toBe(false);
      expect(NewPassword.safeParse(p).success, p).toBe(true);
    }
  });
});
