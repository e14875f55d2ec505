import { describe, expect, it } from "vitest";
import { handleFromName, handleKey } from "./handle.ts";

describe("handles", () => {
  it("are @ + PascalCase of the name's parts", () => {
    expect(handleFromName("cortney_gutkowski67")).toBe("@CortneyGutkowski67");
    expect(handleFromName("ada.lovelace-byron")).toBe("@AdaLovelaceByron");
    expect(handleFromName("Bob")).toBe("@Bob");
  });

  it("look up the same with or without @, in any case", () => {
    expect(handleKey("@SomePerson")).toBe("@someperson");
    expect(handleKey("someperson")).toBe("@someperson");
  });
});
