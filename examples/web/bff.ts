import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";
import { createIamClient, iamErrorOf } from "@user-iam/client";

/** Where the BFF finds the service, and the machine key it signs in with. Never sent to the page. */
export type BffOptions = { iamUrl: string; apiKey: string };

/** What `POST /bff/login` answers: the access token only (the refresh token stays out of the page). */
export type LoginReply = { accessToken: string; expiresIn: number } | { message: string; code: string };

const MAX_BODY_BYTES = 16 * 1024;

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, "Request body too large", "PAYLOAD_TOO_LARGE");
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BodyError(400, "Send a JSON body: { email, password }", "BAD_REQUEST");
  }
};

const credentialsOf = (body: unknown): { email: string; password: string } => {
  if (typeof body === "object" && body !== null) {
    const { email, password } = body as Record<string, unknown>;
    if (typeof email === "string" && typeof password === "string") return { email, password };
  }
  throw new BodyError(400, "Send a JSON body: { email, password }", "BAD_REQUEST");
};

const send = (res: ServerResponse, status: number, body: LoginReply) => {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(body));
};

/**
 * `POST /bff/login` → the service's `auth.login` (an S2S call with the machine API key), answering
 * the page with the user's access token. The page then calls `/trpc` itself with that bearer token.
 * The browser's address goes along as `clientIp`: the service counts failed logins per account and
 * address, and without it every user of this BFF would share the BFF's one address (one attacker
 * could lock them all out of an account). Behind a proxy, take the address your proxy vouches for.
 */
export const loginHandler = (options: BffOptions) => {
  const iam = createIamClient({ url: options.iamUrl, apiKey: options.apiKey });
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return send(res, 405, { message: "Use POST", code: "METHOD_NOT_SUPPORTED" });
    }
    try {
      const credentials = credentialsOf(await readJson(req));
      const clientIp = req.socket.remoteAddress;
      const tokens = await iam.auth.login.mutate({ ...credentials, ...(clientIp ? { clientIp } : {}) });
      send(res, 200, { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn });
    } catch (error) {
      if (error instanceof BodyError) return send(res, error.status, { message: error.message, code: error.code });
      const iamError = iamErrorOf(error);
      if (iamError) return send(res, iamError.status, { message: iamError.message, code: iamError.code });
      send(res, 502, { message: "The IAM service could not be reached", code: "BAD_GATEWAY" });
    }
  };
};

/** The BFF as a Vite plugin: the same route on the dev server and on `vite preview`. */
export const iamBff = (options: BffOptions): Plugin => {
  const handler = loginHandler(options);
  const mount = (server: { middlewares: { use: (path: string, fn: typeof handler) => unknown } }) => {
    server.middlewares.use("/bff/login", handler);
  };
  return { name: "iam-bff", configureServer: mount, configurePreviewServer: mount };
};
