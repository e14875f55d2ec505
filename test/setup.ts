import { inject } from "vitest";

// Test workers call the core and the router in-process too: give them the stack's configuration.
Object.assign(process.env, inject("stackEnv"));
