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
