import { getConnInfo, handle } from "hono/aws-lambda";
import { createApp } from "./app.ts";

/** The Lambda entry: API Gateway v2 (HTTP API) events in, responses out. */
export const handler = handle(createApp({ sourceIp: (c) => getConnInfo(c).remote.address }));
