/** The cold-start baseline: a Lambda handler that does nothing but answer. */
export const handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ status: "ok" }),
});
