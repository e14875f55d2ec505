import { appRouter } from "./router.ts";
import type { Meta } from "./trpc.ts";

/**
 * A procedure as the router keeps it at run time: flat, by dotted path (its static type says
 * nested), with its kind, its meta and its input schemas.
 */
export type ProcedureDef = {
  _def: { type: "query" | "mutation" | "subscription"; meta?: Meta; inputs: unknown[] };
  /**
   * Runs the procedure: its middlewares, input and output validation and resolver, as tRPC's own
   * caller (`createCaller`) and HTTP handler call it. Throws the procedure's TRPCError.
   */
  (opts: {
    path: string;
    type: "query" | "mutation" | "subscription";
    ctx: unknown;
    getRawInput: () => Promise<unknown>;
    signal: AbortSignal | undefined;
    batchIndex: number;
  }): Promise<unknown>;
};

/**
 * Every procedure of the router by dotted path (`user.byId`): what the route table, the OpenAPI
 * document, the 401 challenge, `Location` and the tests read. The one cast of tRPC's internals.
 */
export const procedures = appRouter._def.procedures as unknown as Readonly<Record<string, ProcedureDef>>;
