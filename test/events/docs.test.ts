import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { Events } from "@iam/core";
import { CATALOGUE_END, CATALOGUE_START, exampleEvent, renderCatalogue } from "@iam/core/testing";

/** docs/EVENTS.md: its catalogue is the code's, and its three-line verification works. */
const doc = readFileSync(join(import.meta.dirname, "../../docs/EVENTS.md"), "utf8");

describe("docs/EVENTS.md", () => {
  it("holds the catalogue generated from the code: run `npm run events:doc` after changing it", () => {
    const section = doc.slice(doc.indexOf(CATALOGUE_START), doc.indexOf(CATALOGUE_END) + CATALOGUE_END.length);
    expect(section).toBe(renderCatalogue());
  });

  it("shows one example per type, each a valid event with a subject, carrying no secret", () => {
    for (const type of Events.EVENT_TYPES) {
      const example = exampleEvent(type);
      expect(Events.Event.parse(example)).toEqual(example);
      expect(doc).toContain(`### ${type}\n`);
      expect(doc).toContain(JSON.stringify(example, null, 2));
      // No field that could hold a secret, at any depth.
      expect(JSON.stringify(example)).not.toMatch(
        /"(password|newPassword|currentPassword|accessToken|idToken|refreshToken|token|activationCode|resetCode|code|secret|apiKey)":/i,
      );
    }
  });

  it("shows a verification that accepts a signed delivery and refuses a forged one", () => {
    const snippet = /```ts\nimport \{ Webhook \} from "standardwebhooks";\n([^`]+)```/.exec(doc)?.[1] ?? "";
    expect(snippet.trim().split("\n")).toHaveLength(2); // with the import: three lines
    const secret = Events.newSecret();
    const event = exampleEvent("user.activated");
    const rawBody = JSON.stringify(event);
    const headers = Events.sign(event, rawBody, secret);
    const verify = (body: string, h: Record<string, string>) => new Webhook(secret).verify(body, h) as { id: string };
    expect(verify(rawBody, headers).id).toBe(event.id);
    expect(() => verify(rawBody.replace("user.activated", "user.deleted"), headers)).toThrow();
    expect(snippet).toContain("new Webhook(secret).verify(rawBody, headers)");
  });
});
