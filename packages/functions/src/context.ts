/** What a request brings, already pulled out of HTTP: procedures never see the raw event. */
export type ContextInput = {
  apiKey?: string | null;
  authorization?: string | null;
  requestId: string;
  sourceIp?: string;
  /** The `Idempotency-Key` header (idempotency.ts). */
  idempotencyKey?: string | null;
};

/** Pure: tests build a context directly and use `createCaller` with no HTTP in between. */
export const createContextInner = (input: ContextInput) => ({
  apiKey: input.apiKey ?? null,
  authorization: input.authorization ?? null,
  requestId: input.requestId,
  sourceIp: input.sourceIp,
  idempotencyKey: input.idempotencyKey ?? null,
  /** Response headers a procedure adds (e.g. `Idempotent-Replayed`); the app's responseMeta sends them. */
  responseHeaders: {} as Record<string, string>,
});

export type Context = ReturnType<typeof createContextInner>;

export const contextFromRequest = (req: Request, extra: { requestId: string; sourceIp?: string }): Context =>
  createContextInner({
    apiKey: req.headers.get("x-api-key"),
    authorization: req.headers.get("authorization"),
    idempotencyKey: req.headers.get("idempotency-key"),
    ...extra,
  });
