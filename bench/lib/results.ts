import type { BundleAnalysis } from "./metafile.ts";
import type { Summary } from "./stats.ts";

/** What the measuring child process hands back to `run.ts` (as JSON). */
export type Comparison = {
  name: string;
  baseline: string;
  subject: Summary;
  base: Summary;
  /** subject median ÷ baseline median */
  ratio: number;
  /** ratio target (≤), when the issue sets one */
  target?: number;
};

/** One layer of GET /user/{id}, from the bare request up to the Lambda handler. */
export type Layer = Summary & { name: string };

export type RequestCount = {
  route: string;
  kind: "read by id" | "lookup" | "write" | "auth" | "other";
  status: number;
  dynamodb: string[];
  cognito: string[];
  s3: string[];
  /** Why each DynamoDB request is made, in order (the routes the issue asks to explain). */
  reasons?: string[];
};

export type JwtResult = {
  comparison: Comparison;
  tokensPerSample: number;
  jwksFetchesAfterWarmup: number;
  jwksFetchesTotal: number;
};

/** CPU time per request of the process running the handler (P5). */
export type CpuRun = { name: string; requests: number; microsPerRequest: number; ratio: number; target?: number };
export type CpuResult = { runs: CpuRun[]; blocks: number };

export type MeasureResults = {
  /** The benchmark user's item, for the cold-start runs of `run.ts`. */
  fixture: { userId: string; getItem: { TableName: string; Key: Record<string, { S: string }> } };
  requests: RequestCount[];
  overhead: Comparison[];
  layers: Layer[];
  /** variants measured in the same interleaving, for comparison with `layers` */
  whatIf: Layer[];
  jwt: JwtResult;
  cpu: CpuResult;
};

export type BundleShare = { name: string; bytes: number };

/** A cold start compared like the other figures, plus where its time goes. */
export type ColdStart = Comparison & {
  /** import of the bundle alone, and spawn → exit seen from outside, medians */
  subjectImportMs: number;
  baseImportMs: number;
  subjectWallMs: number;
  baseWallMs: number;
};

/** The metafile's analysis (bench/lib/metafile.ts) plus sizes and cold starts. */
export type BundleResult = BundleAnalysis & {
  /** Every .mjs of the directory (entry + chunks); `entryBytes` the entry and `coldBytes` what a cold start loads (the entry and the chunks it imports statically). */
  bytes: number;
  entryBytes: number;
  coldBytes: number;
  gzipBytes: number;
  target: number;
  helloBytes: number;
  getItemBytes: number;
  coldStarts: ColdStart[];
  rounds: number;
};
