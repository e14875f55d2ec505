import { randomUUID } from "node:crypto";
import { createTRPCClient, httpLink } from "@trpc/client";
import { inject } from "vitest";
import type { AppRouter } from "../packages/functions/src/router.ts";

export const baseUrl = () => inject("baseUrl");
export const apiKey = () => inject("apiKey");

/** A fresh, valid registration body: unique per call so tests never collide. */
export const newUser = (overrides: Record<string, unknown> = {}) => {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `user.${tag}@example.com`,
    name: `user_${tag}`,
    password: "Correct-Horse1",
    ...overrides,
  };
};

type Init = { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string };

/** REST call; sends the API key unless told otherwise. Returns status, headers and parsed JSON. */
export const rest = async (path: string, init: Init = {}) => {
  const headers: Record<string, string> = { "x-api-key": apiKey(), ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${baseUrl()}${path}`, { method: init.method ?? "GET", headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
};

/** Typed tRPC client over HTTP (the same transport a TS frontend uses). */
export const trpc = (headers: Record<string, string> = { "x-api-key": apiKey() }) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${baseUrl()}/trpc`, headers })] });
