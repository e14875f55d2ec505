import { randomUUID } from "node:crypto";

/**
 * Imported first by a test file that needs a table of its own (e.g. to count every item of a
 * listing): points this worker's configuration at a fresh table name before anything reads it.
 * The test file creates the table (`provisionTable`) and drops it afterwards.
 */
export const PRIVATE_TABLE = `iam-test-${randomUUID().slice(0, 8)}`;
process.env.SST_RESOURCE_Table = JSON.stringify({ name: PRIVATE_TABLE, type: "sst.aws.Dynamo" });
