import { relative } from "node:path";
import type { TestProject } from "vitest/node";
import { sdkCommandLogDir } from "./infra-recorder.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Every test file of the integration project, relative to the repository (whether this run runs them or not). */
    integrationFiles: string[];
    /** Why this run leaves tests out although every file runs (`-t`, `--shard`), if it does. */
    partialRun: string | undefined;
  }
}

/**
 * Global setup of the `audit` project (vitest.config.ts): starts nothing. It tells the audit where
 * this run's recording is and which integration files a whole run has, so that a partial run (or
 * the audit alone) is refused instead of audited.
 */
export default async function setup(project: TestProject) {
  const integration = project.vitest.projects.find((p) => p.name === "integration");
  if (!integration) throw new Error('vitest.config.ts has no "integration" project');
  const { testFiles } = await integration.globTestFiles();
  project.provide("integrationFiles", testFiles.map((f) => relative(project.config.root, f)).sort());
  project.provide("sdkCommandLog", sdkCommandLogDir());
  const { testNamePattern, shard } = project.vitest.config;
  project.provide(
    "partialRun",
    testNamePattern
      ? `only tests named ${testNamePattern} run`
      : shard
        ? `this is shard ${shard.index}/${shard.count}`
        : undefined,
  );
}
