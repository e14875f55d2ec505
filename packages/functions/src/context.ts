/** What a request brings, already pulled out of HTTP: procedures never see the raw event. */
export type ContextInput = {
  apiKey?: string | null;
  authorization?: string | null;
  requestId: string;
  sourceIp?: string;
};

/** Pure: tests build a context directly and use `createCaller` with no HTTP in between. */
export const createContextInner = (input: ContextInput) => ({
  apiKey: input.apiKey ?? null,
  authorization: input.authorization ?? null,
  requestId: input.requestId,
  sourceIp: input.sourceIp,
});

export type Context = ReturnType<typeof createContextInner>;

export const contextFromRequest = (req: Request, extra: { requestId: string; sourceIp?: string }): Context =>
  createContextInner({
    apiKey: req.headers.get("x-api-key"),
    authorization: req.headers.get("authorization"),
    ...extra,
  });
