import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BADGES, BadgeNameFormat, badgeIconsDir } from "./catalog.ts";

describe("badge catalog", () => {
  const dir = fileURLToPath(badgeIconsDir);
  const files = readdirSync(dir).filter((f) => f.endsWith(".svg"));

  it("has an SVG icon for every badge and no icon without a badge", () => {
    expect(files.map((f) => f.replace(/\.svg$/, "")).sort()).toEqual(Object.keys(BADGES).sort());
    for (const f of files)
      expect(readFileSync(`${dir}/${f}`, "utf8")).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("names every badge in the documented format, with at least 20 to issue", () => {
    for (const name of Object.keys(BADGES)) expect(BadgeNameFormat.safeParse(name).success, name).toBe(true);
    expect(Object.keys(BADGES).length).toBeGreaterThanOrEqual(20);
  });
});
