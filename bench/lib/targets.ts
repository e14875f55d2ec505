import { delta, kb, mb, ms, ratio } from "./format.ts";
import type { BundleResult, MeasureResults } from "./results.ts";

/** A target of the issue, as measured; `miss` says by how much and, from the run's own figures, why. */
export type Target = { what: string; target: string; measured: string; met: boolean; miss?: string };

const over = (value: number, limit: number) =>
  `${ratio(value)} vs ≤ ${ratio(limit)}, ${((100 * (value - limit)) / limit).toFixed(0)} % over`;
const short = (value: number, limit: number) =>
  `${ratio(value)} vs ≥ ${ratio(limit)}, ${((100 * (limit - value)) / limit).toFixed(0)} % short`;

const overheadWhy = (m: MeasureResults) => {
  const [bare, electro, app, lambda] = m.layers;
  if (!bare || !electro || !app || !lambda) return "";
  const budget = bare.median * 0.15;
  return (
    `ElectroDB ${delta(electro.median - bare.median)}, the app (Hono, API key, tRPC, trpc-to-openapi, zod, log) ${delta(app.median - electro.median)}, ` +
    `the Lambda adapter ${delta(lambda.median - app.median)} (medians of the layers), while 15 % of the emulator's ${ms(bare.median)} leaves ${ms(budget)} for all of it: ` +
    `DynamoDB Local on loopback answers faster than DynamoDB does from Lambda, so the same CPU cost weighs more here`
  );
};

/** Every target of the issue, measured. */
export const targets = (m: MeasureResults, b: BundleResult): Target[] => {
  const list: Target[] = [];
  for (const c of m.overhead)
    if (c.target !== undefined)
      list.push({
        what: `1. ${c.name} ÷ bare ${c.baseline} (median)`,
        target: `≤ ${ratio(c.target)}`,
        measured: ratio(c.ratio),
        met: c.ratio <= c.target,
        miss:
          `${over(c.ratio, c.target)}: +${ms(c.subject.median - c.base.median)} per request. ` +
          (c.name.includes("/me")
            ? `The JWT verify takes ${ms(m.jwt.comparison.subject.median)} of it; for the rest, as for GET /user/{id}: `
            : "") +
          overheadWhy(m),
      });

  const byId = m.requests.filter((r) => r.kind === "read by id");
  const lookups = m.requests.filter((r) => r.kind === "lookup");
  const scans = m.requests.flatMap((r) => r.dynamodb.filter((c) => /Scan/.test(c)).map(() => r.route));
  const listing = (rows: typeof byId) => rows.map((r) => `${r.route}: ${r.dynamodb.join(" → ")}`).join("; ");
  list.push({
    what: "2. DynamoDB requests of a read by id",
    target: "= 1",
    measured: byId.map((r) => r.dynamodb.length).join(", "),
    met: byId.every((r) => r.dynamodb.length === 1),
    miss: listing(byId.filter((r) => r.dynamodb.length !== 1)),
  });
  list.push({
    what: "2. DynamoDB requests of a lookup (name, email, handle)",
    target: "≤ 2",
    measured: lookups.map((r) => r.dynamodb.length).join(", "),
    met: lookups.every((r) => r.dynamodb.length <= 2),
    miss: listing(lookups.filter((r) => r.dynamodb.length > 2)),
  });
  list.push({
    what: "2. Scans, any route",
    target: "0",
    measured: String(scans.length),
    met: scans.length === 0,
    miss: scans.join(", "),
  });

  const extra = b.duplicates.reduce((s, d) => s + d.extraBytes, 0);
  list.push({
    what: "3. production bundle, minified",
    target: `≤ ${mb(b.target)}`,
    measured: mb(b.bytes),
    met: b.bytes <= b.target,
    miss:
      `${mb(b.bytes)}, ${((100 * (b.bytes - b.target)) / b.target).toFixed(0)} % over: imports this service never calls hold ${kb(b.cutAllBytes)} ` +
      `(${b.cuts.map((c) => `${c.name.split(" (")[0]} ${kb(c.bytes)}`).join(", ")})` +
      (extra ? `, and ${kb(extra)} are second copies of ${b.duplicates.map((d) => d.name).join(", ")}` : "") +
      `; without them: ${mb(b.bytes - b.cutAllBytes - extra)}`,
  });
  const trimmedHealth = b.coldStarts.find((c) => c.name.startsWith("GET /health, what-if"));
  for (const c of b.coldStarts)
    if (c.target !== undefined)
      list.push({
        what: `3. cold start, ${c.name} ÷ ${c.baseline} (process start → response, median)`,
        target: `≤ ${ratio(c.target)}`,
        measured: ratio(c.ratio),
        met: c.ratio <= c.target,
        miss:
          `${over(c.ratio, c.target)}: importing (parsing and evaluating) the bundle takes ${ms(c.subjectImportMs)} of ${ms(c.subject.median)}` +
          (trimmedHealth
            ? `; the what-if bundle without the unneeded imports: ${ms(trimmedHealth.subject.median)}, ${ratio(trimmedHealth.ratio)}`
            : ""),
      });

  const jwt = m.jwt.comparison;
  const jwtTarget = jwt.target ?? 2;
  list.push({
    what: "4. JWT verify (warm JWKS) ÷ bare crypto.verify RS256",
    target: `≤ ${ratio(jwtTarget)}`,
    measured: ratio(jwt.ratio),
    met: jwt.ratio <= jwtTarget,
    miss:
      `${over(jwt.ratio, jwtTarget)}: +${ms(jwt.subject.median - jwt.base.median)} per token. aws-jwt-verify decodes header and payload, checks the claims, ` +
      "and verifies through `createVerify()` (a stream object per token) where the baseline makes one `crypto.verify` call",
  });
  list.push({
    what: "4. JWKS fetches after warm-up",
    target: "0",
    measured: String(m.jwt.jwksFetchesAfterWarmup),
    met: m.jwt.jwksFetchesAfterWarmup === 0,
  });

  const unset = (name: string) =>
    m.throughput.routes.find((r) => r.name === name.replace("(npm start)", "(NODE_ENV unset)"));
  for (const r of m.throughput.routes)
    if (r.target !== undefined) {
      const other = unset(r.name);
      list.push({
        what: `5. ${r.name} req/s ÷ raw GetItem loop req/s`,
        target: `≥ ${ratio(r.target)}`,
        measured: ratio(r.ratio),
        met: r.ratio >= r.target,
        miss:
          `${short(r.ratio, r.target)}. Each request runs Hono, the API-key or JWT check, tRPC, zod and the access log in the one ` +
          `serving process, which competes for the 2 cores with DynamoDB Local and autocannon` +
          (other ? `; the same server with NODE_ENV unset: ${ratio(other.ratio)}` : "") +
          `. The serving process used ${r.serverCores.toFixed(2)} cores; DynamoDB Local and autocannon share the rest of the machine`,
      });
    }
  return list;
};
