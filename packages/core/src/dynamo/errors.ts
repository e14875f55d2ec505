/** True when DynamoDB refused a write because its condition did not hold (ElectroDB wraps the SDK error). */
export const isConditionFailure = (e: unknown): boolean => {
  for (let c = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    if ((c as { name?: string }).name === "ConditionalCheckFailedException") return true;
  }
  return false;
};
