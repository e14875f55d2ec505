import { randomUUID } from "node:crypto";
import { apiEvent, invoke, json, type Handler } from "../lib/lambda.ts";

export type BenchUser = {
  id: string;
  name: string;
  email: string;
  handle: string;
  password: string;
  accessToken: string;
  idToken: string;
};

/** Registers, activates and logs in a fresh user through the handler (the way a client would). */
export const activeUser = async (handler: Handler, apiKey: string): Promise<BenchUser> => {
  const tag = randomUUID().slice(0, 8);
  const body = { email: `bench.${tag}@example.com`, name: `bench_${tag}`, password: "Correct-Horse1" };
  const key = { "x-api-key": apiKey };
  const registered = json<{ id: string; handle: string; activationCode: string }>(
    await invoke(handler, apiEvent("POST", "/user", { headers: key, body }), 201),
  );
  await invoke(handler, apiEvent("GET", `/user/activate/${registered.activationCode}`, { headers: key }));
  const tokens = json<{ accessToken: string; idToken: string }>(
    await invoke(
      handler,
      apiEvent("POST", "/auth/login", { headers: key, body: { email: body.email, password: body.password } }),
    ),
  );
  return { id: registered.id, handle: registered.handle, ...body, ...tokens };
};
