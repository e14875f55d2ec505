import { describe, expect, it } from "vitest";
import { User } from "../index.ts";

/** Blobs DynamoDB could not store as a native map round-trip exactly, because data is kept as JSON text. */
describe("the data blob", () => {
  it("stores what DynamoDB maps cannot: empty keys, huge and tiny numbers, deep-ish nesting", async () => {
    const { id } = await User.register(
      User.RegisterInput.parse({
        email: `blob.${Date.now()}@example.com`,
        name: `blob_${Date.now()}`,
        password: "Blob-blob-blob-1",
      }),
    );
    let nested: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 30; i++) nested = { n: nested };
    const blob = { "": [], big: 1e300, tiny: 5e-324, precise: 0.1 + 0.2, unicode: "ü😀", nested };
    expect((await User.replaceData(id, blob)).profile.data).toEqual(blob);
    expect((await User.mergeData(id, { "": null, big: -1e300 })).profile.data).toEqual({
      ...blob,
      "": undefined,
      big: -1e300,
    });
  });

  it("refuses nesting deeper than the limit with 400, before any merge work", async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < User.DATA_MAX_DEPTH + 2; i++) deep = { d: deep };
    await expect(User.mergeData("6b09fb7c-518f-48df-9e2d-d406b5cc6965", deep)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(User.replaceData("6b09fb7c-518f-48df-9e2d-d406b5cc6965", deep)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
