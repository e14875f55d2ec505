import type { Machine } from "./machine.ts";
import { delta, int, kb, mb, ms, pct, ratio, table } from "./format.ts";
import type { BundleResult, MeasureResults } from "./results.ts";
import { targets } from "./targets.ts";

const header = (machine: Machine, seconds: number) =>
  [
    `## ${machine.date} · ${machine.cores} × ${machine.cpuModel} · Node ${machine.node}`,
    "",
    `${machine.platform}, ${machine.memoryGiB} GiB RAM, load average ${machine.loadAverage.join(" / ")} at start; commit ${machine.commit}; the whole run took ${Math.round(seconds)} s.`,
  ].join("\n");

/** One run, as the markdown section that goes to the terminal and to docs/BENCHMARKS.md. */
export const renderRun = (machine: Machine, m: MeasureResults, b: BundleResult, seconds: number): string => {
  const t = targets(m, b);
  const missed = t.filter((x) => !x.met);
  const overheadRows = m.overhead.map((c) => [
    c.name,
    c.baseline,
    `${ms(c.subject.median)} / ${ms(c.subject.p99)}`,
    `${ms(c.base.median)} / ${ms(c.base.p99)}`,
    delta(c.subject.median - c.base.median),
    `**${ratio(c.ratio)}**`,
    c.subject.n,
  ]);
  const reqRows = m.requests.map((r) => [
    r.route,
    r.dynamodb.length,
    r.cognito.length,
    r.s3.length,
    [...r.cognito.map((c) => `cognito:${c}`), ...r.dynamodb, ...r.s3.map((c) => `s3:${c}`)].join(" → ") || "—",
  ]);
  const cold = b.coldStarts.map((c) => [
    c.name,
    c.baseline,
    `${ms(c.subject.median)} (import ${ms(c.subjectImportMs)}; spawn→exit ${ms(c.subjectWallMs)})`,
    `${ms(c.base.median)} (import ${ms(c.baseImportMs)}; spawn→exit ${ms(c.baseWallMs)})`,
    `**${ratio(c.ratio)}**`,
  ]);
  const jwt = m.jwt.comparison;
  const explained = m.requests.filter((r) => r.reasons);
  return [
    header(machine, seconds),
    "",
    "### Targets",
    "",
    table(
      ["", "target", "measured", ""],
      t.map((x) => [x.what, x.target, x.measured, x.met ? "met" : "**missed**"]),
    ),
    "",
    missed.length
      ? ["Missed:", "", ...missed.map((x) => `- ${x.what}: ${x.miss ?? x.measured}`)].join("\n")
      : "Every target is met.",
    "",
    "### 1. Service overhead: the Lambda handler in-process vs the bare SDK requests",
    "",
    table(
      ["route", "baseline (bare SDK)", "handler median / p99", "baseline median / p99", "added", "ratio", "n each"],
      overheadRows,
    ),
    "",
    "Where the time of `GET /user/{id}` goes (each layer includes the ones above it; all rows interleaved call by call):",
    "",
    table(
      ["layer", "median / p99", "adds (median)"],
      [
        ...m.layers.map((l, i) => [
          l.name,
          `${ms(l.median)} / ${ms(l.p99)}`,
          i === 0 ? "" : delta(l.median - (m.layers[i - 1]?.median ?? 0)),
        ]),
        ...m.whatIf.map((l) => [
          `_what-if:_ ${l.name}`,
          `${ms(l.median)} / ${ms(l.p99)}`,
          `${delta(l.median - (m.layers[0]?.median ?? 0))} over bare`,
        ]),
      ],
    ),
    "",
    "### 2. Requests per route (SDK middleware on the service's clients)",
    "",
    table(["route", "DynamoDB", "Cognito", "S3", "in order"], reqRows),
    "",
    "Why each DynamoDB request is made:",
    "",
    ...explained.flatMap((r) => [
      `- ${r.route}: ${r.dynamodb.map((c, i) => `${i + 1}. ${c}: ${r.reasons?.[i] ?? "(no reason recorded: the route changed)"}`).join("; ")}`,
    ]),
    "",
    "### 3. Bundle and cold start",
    "",
    `The handler's JavaScript (infra/build.ts \`buildApi\`: the directory \`sst deploy\` ships, without /docs' files; minified): **${mb(b.bytes)}** (${kb(b.gzipBytes)} gzipped, ${b.inputs} input files), of which a cold start loads ${mb(b.coldBytes)} (the entry, ${kb(b.entryBytes)}, and the chunks it imports statically; the Cognito, S3, SQS and EventBridge chunks load on first use). Hello-world bundle: ${kb(b.helloBytes)}; bare GetItem bundle: ${kb(b.getItemBytes)}.`,
    "",
    table(
      ["what fills the bundle (by package)", "bytes", "share", "brought in by"],
      b.packages.map((p) => [p.name, kb(p.bytes), pct(p.bytes, b.bytes), p.via]),
    ),
    "",
    table(
      ["largest input files", "bytes"],
      b.files.map((f) => [f.name, kb(f.bytes)]),
    ),
    "",
    `Imported but not needed by this service (bytes that leave the bundle if the import goes; together ${kb(b.cutAllBytes)}, which would make the bundle ${mb(b.bytes - b.cutAllBytes)}):`,
    "",
    table(
      ["import", "bytes", "why it is there"],
      b.cuts.map((c) => [c.name, kb(c.bytes), c.why]),
    ),
    "",
    b.duplicates.length
      ? [
          `Bundled twice (two installed versions; \`npm dedupe\` or aligned versions would drop ${kb(b.duplicates.reduce((s, d) => s + d.extraBytes, 0))}):`,
          "",
          table(
            ["package", "extra bytes", "copies"],
            b.duplicates.map((d) => [d.name, kb(d.extraBytes), d.copies.join("<br>")]),
          ),
        ].join("\n")
      : "No package is bundled twice.",
    "",
    `Cold start: fresh \`node\` processes import the bundle and answer one API Gateway v2 event (median of ${b.rounds} each, interleaved). Time is from process start (the child's own clock) to the handler's answer.`,
    "",
    table(["first request", "baseline", "service median", "baseline median", "ratio"], cold),
    "",
    "### 4. JWT verification",
    "",
    table(
      ["", "per token, median / p99", "ratio"],
      [
        [
          `service verifier (aws-jwt-verify, warm JWKS)`,
          `${ms(jwt.subject.median)} / ${ms(jwt.subject.p99)}`,
          `**${ratio(jwt.ratio)}**`,
        ],
        [`bare crypto.verify RS256`, `${ms(jwt.base.median)} / ${ms(jwt.base.p99)}`, "1.00×"],
      ],
    ),
    "",
    `${jwt.subject.n} samples of ${m.jwt.tokensPerSample} tokens each, interleaved. JWKS fetches: ${m.jwt.jwksFetchesTotal} in the whole run, **${m.jwt.jwksFetchesAfterWarmup} after warm-up** (every verify of sections 1, 4 and 5 included).`,
    "",
    "### 5. CPU per request",
    "",
    `\`process.cpuUsage()\` of the process running the handler (user + system), over ${m.cpu.runs[0]?.requests ?? 0} sequential requests each, in ${m.cpu.blocks} blocks alternating with the other rows'. DynamoDB Local runs in its own process: neither its work nor the wait for it is counted. The service logs at \`info\` (the access log on), NODE_ENV=production.`,
    "",
    table(
      ["", "CPU µs per request", "÷ bare GetItem"],
      m.cpu.runs.map((r) => [
        r.name,
        int(r.microsPerRequest),
        r.target === undefined ? ratio(r.ratio) : `**${ratio(r.ratio)}**`,
      ]),
    ),
  ].join("\n");
};
