import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { newUser, rest, trpc } from "./helpers.ts";

/**
 * Invalid input gets an answer a person can read, on both transports: `message` is one sentence
 * (the first problem, "field: what is wrong", plus "(and N more)"), the details are an `issues`
 * array of `{ path, message, code }`: no JSON dump of the validator's issues, no regex source.
 * REST bodies are `{ message, code, issues? }` and nothing else; tRPC clients read `error.data`.
 */
const ISSUE_KEYS = ["code", "message", "path"];

const readable = (message: unknown) => {
  expect(typeof message).toBe("string");
  expect(message).not.toMatch(/[\n{}[\]]|\/\^|pattern/);
};

describe("validation errors over REST", () => {
  it("say what is wrong with the e-mail in one sentence, details in `issues`, nothing else", async () => {
    const res = await rest("/user", { method: "POST", body: newUser({ email: "a@b" }) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      message: "email: Invalid email address",
      code: "BAD_REQUEST",
      issues: [{ path: ["email"], message: "Invalid email address", code: "invalid_format" }],
    });
  });

  it("name the first problem and count the others", async () => {
    const res = await rest("/user", { method: "POST", body: { email: "x", name: "!", password: "short" } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json).sort()).toEqual(["code", "issues", "message"]);
    expect(res.json.message).toBe("email: Invalid email address (and 2 more)");
    readable(res.json.message);
    expect(res.json.issues.map((i: { path: unknown[] }) => i.path)).toEqual([["email"], ["name"], ["password"]]);
    for (const issue of res.json.issues) {
      expect(Object.keys(issue).sort()).toEqual(ISSUE_KEYS);
      readable(issue.message);
    }
  });

  it("never show a pattern: a path parameter that fails its regex, an unknown field", async () => {
    const handle = await rest("/user/handle/@bad-handle!");
    expect(handle.status).toBe(400);
    expect(handle.json).toEqual({
      message: "handle: '@' followed by letters and digits",
      code: "BAD_REQUEST",
      issues: [{ path: ["handle"], message: "'@' followed by letters and digits", code: "invalid_format" }],
    });
    const extra = await rest("/user", { method: "POST", body: { ...newUser(), role: "ADMIN" } });
    expect(extra.status).toBe(400);
    expect(extra.json.message).toBe('Unrecognized key: "role"');
    expect(extra.json.issues).toEqual([{ path: [], message: 'Unrecognized key: "role"', code: "unrecognized_keys" }]);
  });

  it("other errors are { message, code } only", async () => {
    const res = await rest(`/user/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: "User not found", code: "NOT_FOUND" });
  });
});

describe("validation errors over tRPC", () => {
  it("carry the same sentence as the message, and code, status and issues in error.data", async () => {
    const error = await trpc()
      .user.register.mutate(newUser({ email: "a@b" }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TRPCClientError);
    if (!(error instanceof TRPCClientError)) return;
    expect(error.message).toBe("email: Invalid email address");
    expect(error.data).toEqual({
      code: "BAD_REQUEST",
      httpStatus: 400,
      issues: [{ path: ["email"], message: "Invalid email address", code: "invalid_format" }],
    });
  });

  it("keep error.data to code and status for other errors", async () => {
    const error = await trpc()
      .user.byId.query({ id: crypto.randomUUID() })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TRPCClientError);
    if (!(error instanceof TRPCClientError)) return;
    expect(error.message).toBe("User not found");
    expect(error.data).toEqual({ code: "NOT_FOUND", httpStatus: 404 });
  });
});
