/**
 * The local webhook delivery as its own process, for a test that kills it (`kill -9`): the stack's
 * configuration and the webhook settings come from the environment the test gives it, the state
 * folder from `EVENTS_DATA_DIR`. Prints `caught-up` once it has read the stream to its end.
 */
import { Config } from "@iam/core";
import { startEventDelivery, webhookSettings } from "@iam/local/events/delivery";

const delivery = await startEventDelivery({
  ...webhookSettings(process.env, process.env.IAM_WEBHOOK_SECRET ?? ""),
  dataDir: process.env.EVENTS_DATA_DIR ?? "",
  endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "",
  tableName: Config.tableName,
  // The crash test deletes no user; the table is shared, so the purges are other files' to make.
  purgesUser: () => false,
  log: (line) => process.stderr.write(`${line}\n`),
});
await delivery.caughtUp();
process.stdout.write("caught-up\n");
