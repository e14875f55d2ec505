import type { TransactionSymbol } from "electrodb";
import type { db } from "./service.ts";

/** The entities as a `transaction.write` callback receives them. */
export type TxEntities = Parameters<Parameters<ReturnType<typeof db>["transaction"]["write"]>[0]>[0];

/** What ElectroDB's `commit()` builds: one item of a TransactWriteItems call, of any entity and kind. */
type TransactWriteItem =
  | { Put: Record<string, unknown> }
  | { Update: Record<string, unknown> }
  | { Delete: Record<string, unknown> }
  | { ConditionCheck: Record<string, unknown> };
export type TxWrite = TransactWriteItem & { readonly [TransactionSymbol]: unknown };

/** Why each item of a cancelled transaction was refused, in the order of its items (ElectroDB's reading of the SDK's reasons). */
export type TxReason = { code?: string; item?: unknown };

type TxResult = { canceled: boolean; data: { code?: string }[] };

/**
 * DynamoDB cancels a transaction that touches an item another transaction is writing
 * (`TransactionConflict`), which is not an answer about the data: retry it with jittered backoff.
 * A `ConditionalCheckFailed` is an answer and is returned to the caller.
 */
export const retryTransaction = async <T extends TxResult>(run: () => Promise<T>, attempts = 6): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    const result = await run();
    const conflicted =
      result.canceled &&
      !result.data.some((d) => d.code === "ConditionalCheckFailed") &&
      result.data.some((d) => d.code === "TransactionConflict");
    if (!conflicted || attempt >= attempts) return result;
    await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
  }
};
