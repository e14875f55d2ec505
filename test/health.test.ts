import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { SERVER_ERROR, failing, restoreAllFaults } from "./support/aws-faults.ts";

/** `/health` is liveness (calls nothing); `/health/ready` checks each dependency, cached a few seconds. */
afterEach(() => restoreAllFaults());

type Ready = { status: string; dependencies: Record<string, { status: string; latencyMs: number }> };

describe("health", () => {
  it("/health/ready: 200 with DynamoDB, Cognito and S3 up and their latency; /health stays cheap", async () => {
    const app = createApp();
    const probe = failing("dynamodb", "GetItem", { delayMs: 0 }); // counts the calls, changes nothing
    expect(await (await app.request("/health")).json()).toEqual({ status: "ok" });
    expect(probe.hits).toBe(0);
    const res = await app.request("/health/ready");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Ready;
    expect(body.status).toBe("ready");
    expect(Object.keys(body.dependencies).sort()).toEqual(["cognito", "dynamodb", "s3"]);
    for (const check of Object.values(body.dependencies)) {
      expect(check.status).toBe("up");
      expect(check.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(probe.hits).toBe(1);
  });

  it("answers 503 with Retry-After and names the dependency that is down", async () => {
    failing("cognito", "AdminGetUser", SERVER_ERROR.cognito);
    const res = await createApp().request("/health/ready");
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as Ready;
    expect(body.status).toBe("unavailable");
    expect(body.dependencies.cognito?.status).toBe("down");
    expect(body.dependencies.dynamodb?.status).toBe("up");
  });

  it("caches the result: ten probes in a row cost each dependency one call", async () => {
    const app = createApp();
    const cognito = failing("cognito", "AdminGetUser", { delayMs: 0 });
    const results = await Promise.all(Array.from({ length: 10 }, () => app.request("/health/ready")));
    for (const r of results) expect(r.status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await app.request("/health/ready")).status).toBe(200);
    expect(cognito.hits).toBe(1);
  });
});
