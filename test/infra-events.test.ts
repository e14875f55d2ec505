/**
 * Event delivery's infrastructure (infra/events.ts) agrees with the code: the bus, the stream
 * subscriber and the webhook sender, each with exactly the permissions its code needs; events with a
 * TTL; dead letters listable. Structure only, like test/infra.test.ts: nothing is deployed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { marshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config, Events, TableDefinition } from "@iam/core";
import { db } from "@iam/core/testing";
import { procedures } from "@iam/functions/procedures";
import {
  evaluateConfig,
  installSstGlobals,
  type Evaluated,
  type LinkDefinition,
  type Recorded,
} from "./fixtures/sst-globals.ts";
import { grantedTo, unique } from "./infra-iam.ts";

const root = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const coreSources = readdirSync(join(root, "packages/core/src"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => join("packages/core/src", f));

/** The SDK commands the service's code sends through one client package. */
const commandsOf = (sdkPackage: string) =>
  [
    ...new Set(
      coreSources
        .filter((f) => read(f).includes(sdkPackage))
        .flatMap((f) => [...read(f).matchAll(/\b(\w+)Command\b/g)].map((m) => m[1])),
    ),
  ].sort();

let prod: Evaluated;
beforeAll(async () => {
  prod = await evaluateConfig("prod");
});
afterAll(() => prod?.uninstall());

const one = (type: string, name?: string): Recorded => {
  const found = prod.registry.filter((c) => c.type === type && (name === undefined || c.logicalName === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0] as Recorded;
};
const handlerExports = async (handler: string) => {
  const [file, exported] = handler.split(".") as [string, string];
  const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, `${file}.ts`));
  return typeof mod[exported] === "function";
};
/** What a function's links give it: each linked component's name, type and link. */
const linksOf = (fn: { link?: Recorded[] }) =>
  (fn.link ?? []).map((c) => ({ name: c.logicalName, type: c.type, link: c.getSSTLink() as LinkDefinition }));
/** The same, as the tests compare it: the properties a link exposes and the permissions it includes. */
const linkSummary = (fn: { link?: Recorded[] }) =>
  linksOf(fn).map(({ name, type, link }) => ({
    name,
    type,
    properties: Object.keys(link.properties),
    include: link.include ?? [],
  }));

describe("infra: event delivery", () => {
  it("uses stand-ins that refuse an option name SST or Pulumi does not have", () => {
    type Component = new (
      ...args: unknown[]
    ) => { subscribe: (...a: unknown[]) => unknown; subscribeQueue: (...a: unknown[]) => unknown };
    // Fresh stand-ins, so that nothing made here lands in the evaluated program's registry.
    const fresh = installSstGlobals();
    const { sst } = globalThis as unknown as { sst: { aws: { Queue: Component; Bus: Component; Dynamo: Component } } };
    expect(() => new sst.aws.Queue("Q1", { visiblityTimeout: "1 minute" })).toThrow(/visiblityTimeout/);
    expect(() => new sst.aws.Queue("Q2", { transform: { queue: { messageRetentionPeriod: 1 } } })).toThrow(
      /messageRetentionPeriod/,
    );
    expect(() => new sst.aws.Bus("B1", { logs: {} })).toThrow(/logs/);
    const queue = new sst.aws.Queue("Q3", { visibilityTimeout: "1 minute" });
    expect(() => queue.subscribe({ handler: "x.handler" }, { batch: { maxSize: 10 } })).toThrow(/batch\.maxSize/);
    const bus = new sst.aws.Bus("B2");
    expect(() => bus.subscribeQueue("S", queue, { pattern: { detail_type: ["x"] } })).toThrow(/pattern\.detail_type/);
    const table = new sst.aws.Dynamo("T", {
      fields: { pk: "string" },
      primaryIndex: { hashKey: "pk" },
      stream: "new-image",
    });
    expect(() =>
      table.subscribe("S", { handler: "x.handler" }, { transform: { eventSourceMapping: { batchsize: 10 } } }),
    ).toThrow(/batchsize/);
    expect(() => table.subscribe("S2", { handler: "x.handler" }, { filter: [] })).toThrow(/filter/);
    fresh.uninstall();
  });

  it("declares the bus", () => {
    one("sst.aws.Bus", "EventBus");
  });

  describe("the stream publisher (table stream → bus)", () => {
    const subscriber = () => one("sst.aws.DynamoLambdaSubscriber");

    it("subscribes to the table's stream with a Node.js 22 arm64 function whose handler exists", async () => {
      const { args } = subscriber();
      expect(args.dynamo.logicalName).toBe("Table");
      expect(args.subscriber).toMatchObject({
        runtime: "nodejs22.x",
        architecture: "arm64",
        handler: "packages/functions/src/events/publisher.handler",
      });
      expect(await handlerExports(args.subscriber.handler)).toBe(true);
      // The stream carries what it needs: new images.
      expect(one("sst.aws.Dynamo", "Table").args.stream).toMatch(/new-image|new-and-old-images/);
    });

    it("is given only INSERTs of event items, which the filter matches on a real item and no other entity's", () => {
      const { filters } = subscriber().args;
      expect(filters).toEqual([{ eventName: ["INSERT"], dynamodb: { NewImage: { __edb_e__: { S: ["event"] } } } }]);
      const event = Events.create({
        type: "user.activated",
        subject: { userId: "u" },
        actor: { type: "system" },
        data: {},
      });
      const eventImage = marshall(db().entities.event.put(Events.toItem(event)).params().Item);
      const userImage = marshall(
        db().entities.user.put({ id: "u", name: "n", handle: "@N", email: "n@example.com" }).params().Item,
      );
      expect(eventImage.__edb_e__).toEqual({ S: "event" });
      expect(userImage.__edb_e__).not.toEqual({ S: "event" });
    });

    it("reads ten records at a time and reports partial batch failures, from the stream's oldest record", () => {
      const mapping = subscriber().args.transform.eventSourceMapping;
      expect(mapping.batchSize).toBeLessThanOrEqual(Events.MAX_ENTRIES);
      expect(mapping.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(mapping.startingPosition).toBe("TRIM_HORIZON");
    });

    it("may put events on this bus and nothing else (SST's subscribe adds only the stream's read actions); linked to the bus for its name only", () => {
      const fn = subscriber().args.subscriber;
      expect(commandsOf("@aws-sdk/client-eventbridge")).toEqual(["PutEvents"]);
      expect(unique(grantedTo(fn))).toEqual(["events:PutEvents {EventBus.arn}"]);
      expect(linkSummary(fn)).toEqual([
        { name: "EventBus", type: "sst.aws.Bus", properties: ["name", "arn"], include: [] },
      ]);
      expect(read("sst-env.d.ts")).toMatch(/EventBus: \{ name: string; arn: string; type: "sst\.aws\.Bus" \}/);
    });
  });

  describe("the webhook sender (bus → queue → receivers)", () => {
    const sender = () => one("sst.aws.QueueLambdaSubscriber").args;

    it("gets the app's events from the bus through its own queue", () => {
      const rule = one("sst.aws.BusQueueSubscriber").args;
      expect(rule.bus.logicalName).toBe("EventBus");
      expect(rule.queue.logicalName).toBe("WebhookQueue");
      expect(rule.pattern).toEqual({ source: [Events.EVENT_SOURCE] });
      expect(sender().queue.logicalName).toBe("WebhookQueue");
    });

    it("is a Node.js 22 arm64 function whose handler exists, taking ten messages at a time with partial batch responses", async () => {
      const { subscriber, batch } = sender();
      expect(subscriber).toMatchObject({
        runtime: "nodejs22.x",
        architecture: "arm64",
        handler: "packages/functions/src/events/webhook-sender.handler",
      });
      expect(await handlerExports(subscriber.handler)).toBe(true);
      expect(batch).toEqual({ size: 10, partialResponses: true });
    });

    it("may write dead letters (PutItem on the table) and put retries on its queue, nothing else; its links give names and secrets only", () => {
      const fn = sender().subscriber;
      expect(commandsOf("@aws-sdk/client-sqs")).toEqual(["SendMessage"]);
      expect(unique(grantedTo(fn))).toEqual(["dynamodb:PutItem {Table.arn}", "sqs:SendMessage {WebhookQueue.arn}"]);
      expect(linkSummary(fn)).toEqual([
        { name: "Table", type: "sst.aws.Dynamo", properties: ["name"], include: [] },
        { name: "WebhookQueue", type: "sst.aws.Queue", properties: ["url"], include: [] },
        { name: "IamWebhookUrls", type: "sst.sst.Secret", properties: ["value"], include: [] },
        { name: "IamWebhookSecret", type: "sst.sst.Secret", properties: ["value"], include: [] },
      ]);
    });

    it("declares the IAM_WEBHOOK_* settings the code reads, with the code's defaults", () => {
      const env = sender().subscriber.environment as Record<string, unknown>;
      const readByCode = [
        ...new Set(
          coreSources.flatMap((f) => [...read(f).matchAll(/process\.env\.(IAM_WEBHOOK_\w+)/g)].map((m) => m[1])),
        ),
      ].sort();
      expect(
        Object.keys(env)
          .filter((k) => k.startsWith("IAM_"))
          .sort(),
      ).toEqual(readByCode);
      expect(env.IAM_WEBHOOK_RETRY_SCHEDULE).toBe(Config.webhookRetrySchedule.join(","));
      expect(env.IAM_WEBHOOK_TIMEOUT_SECONDS).toBe(String(Config.webhookTimeoutSeconds));
    });

    it("has a queue whose visibility timeout covers six runs of the function, and a dead-letter queue for what it cannot handle", () => {
      const queue = one("sst.aws.Queue", "WebhookQueue").args;
      const timeout = Number.parseInt(sender().subscriber.timeout, 10);
      expect(Number.parseInt(queue.visibilityTimeout, 10) * 60).toBeGreaterThanOrEqual(6 * timeout);
      expect(String(queue.dlq.queue)).toBe("{WebhookDeadLetterQueue.arn}");
      expect(queue.dlq.retry).toBeGreaterThan(1);
    });

    it("reads the receivers and the signing secret from SST secrets; the secret has no placeholder, the URLs default to none", () => {
      expect(one("sst.sst.Secret", "IamWebhookSecret").args).toEqual({ placeholder: undefined });
      expect(one("sst.sst.Secret", "IamWebhookUrls").args).toEqual({ placeholder: "" });
    });
  });

  describe("retention and dead letters", () => {
    it("gives events a TTL: the table's TTL attribute is the one event items carry, from the retention the Api declares", () => {
      expect(one("sst.aws.Dynamo", "Table").args.ttl).toBe(TableDefinition.ttl);
      const event = Events.create({
        type: "user.activated",
        subject: { userId: "u" },
        actor: { type: "system" },
        data: {},
      });
      expect(Events.toItem(event)).toHaveProperty(TableDefinition.ttl);
      const env = one("sst.aws.Function", "Api").args.environment;
      expect(env.IAM_EVENT_RETENTION_DAYS).toBe(String(Config.eventRetentionDays));
    });

    it("lets an admin list the dead letters: GET /admin/webhooks/dead-letters", () => {
      const procedure = procedures["webhooks.deadLetters"];
      expect(procedure?._def.meta).toMatchObject({
        scope: "admin",
        openapi: { method: "GET", path: "/admin/webhooks/dead-letters" },
      });
    });

    it("grants the delivery functions nothing through their links: every permission is written in infra/permissions.ts", () => {
      for (const fn of [
        one("sst.aws.DynamoLambdaSubscriber").args.subscriber,
        one("sst.aws.QueueLambdaSubscriber").args.subscriber,
      ])
        expect(linksOf(fn).flatMap(({ link }) => link.include ?? [])).toEqual([]);
    });
  });
});
