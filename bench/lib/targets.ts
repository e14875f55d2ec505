import { delta, kb, mb, ms, ratio } from "./format.ts";
import type { BundleResult, MeasureResults } from "./results.ts";

/** A target of the issue, as measured; `miss` says by how much and, from the run's own figures, why. */
export type Target = { what: string; target: string; measured: string; met: boolean; miss?: string };

const over = (value: number, limit: number) =>
  `${ratio(value)} vs ≤ ${ratio(limit)}, ${((100 * (value - limit)) / limit).toFixed(0)} % over`;

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

/** Every target of the issue (P1–P5), measured; each a ratio within one run. */
export const targets = (m: MeasureResults, b: BundleResult): Target[] => {
  const list: Target[] = [];
  for (const c of m.overhead)
    if (c.target !== undefined)
      list.push({
        what: `P1. ${c.name} ÷ ${c.baseline} (median)`,
        target: `≤ ${ratio(c.target)}`,
        measured: ratio(c.ratio),
        met: c.ratio <= c.target,
        miss:
          `${over(c.ratio, c.target)}: +${ms(c.subject.median - c.base.median)} per request over the floor. ` +
          (c.name.includes("/me")
            ? `The service's verifier takes ${ms(m.jwt.comparison.subject.median)} where the floor's bare verify takes ${ms(m.jwt.comparison.base.median)}; for the rest, as for GET /user/{id}: `
            : "") +
          overheadWhy(m),
      });

  const byId = m.requests.filter((r) => r.kind === "read by id");
  const lookups = m.requests.filter((r) => r.kind === "lookup");
  const scans = m.requests.flatMap((r) => r.dynamodb.filter((c) => /Scan/.test(c)).map(() => r.route));
  const listing = (rows: typeof byId) => rows.map((r) => `${r.route}: ${r.dynamodb.join(" → ")}`).join("; ");
  list.push({
    what: "P2. DynamoDB requests of a read by id",
    target: "= 1",
    measured: byId.map((r) => r.dynamodb.length).join(", "),
    met: byId.every((r) => r.dynamodb.length === 1),
    miss: listing(byId.filter((r) => r.dynamodb.length !== 1)),
  });
  list.push({
    what: "P2. DynamoDB requests of a lookup (name, email, handle)",
    target: "≤ 2",
    measured: lookups.map((r) => r.dynamodb.length).join(", "),
    met: lookups.every((r) => r.dynamodb.length <= 2),
    miss: listing(lookups.filter((r) => r.dynamodb.length > 2)),
  });
  list.push({
    what: "P2. Scans, any route",
    target: "0",
    measured: String(scans.length),
    met: scans.length === 0,
    miss: scans.join(", "),
  });
  const login = m.requests.filter((r) => r.route === "POST /auth/login");
  list.push({
    what: "P2. DynamoDB requests of a login",
    target: "≤ 3",
    measured: login.map((r) => r.dynamodb.length).join(", "),
    met: login.length > 0 && login.every((r) => r.dynamodb.length <= 3),
    miss: listing(login),
  });

  const extra = b.duplicates.reduce((s, d) => s + d.extraBytes, 0);
  list.push({
    what: "P3. the handler's JavaScript (the artifact `sst deploy` ships, without /docs' files), minified",
    target: `≤ ${mb(b.target)}`,
    measured: mb(b.bytes),
    met: b.bytes <= b.target,
    miss:
      `${mb(b.bytes)}, ${((100 * (b.bytes - b.target)) / b.target).toFixed(0)} % over: imports this service never calls hold ${kb(b.cutAllBytes)} ` +
      `(${b.cuts.map((c) => `${c.name.split(" (")[0]} ${kb(c.bytes)}`).join(", ")})` +
      (extra ? `, and ${kb(extra)} are second copies of ${b.duplicates.map((d) => d.name).join(", ")}` : "") +
      `; without them: ${mb(b.bytes - b.cutAllBytes - extra)}`,
  });
  for (const c of b.coldStarts)
    if (c.target !== undefined)
      list.push({
        what: `P3. cold start, ${c.name} ÷ ${c.baseline} (process start → response, median)`,
        target: `≤ ${ratio(c.target)}`,
        measured: ratio(c.ratio),
        met: c.ratio <= c.target,
        miss: `${over(c.ratio, c.target)}: importing (parsing and evaluating) the bundle takes ${ms(c.subjectImportMs)} of ${ms(c.subject.median)}`,
      });

  const jwt = m.jwt.comparison;
  const jwtTarget = jwt.target ?? 2;
  list.push({
    what: "P4. JWT verify (warm JWKS) ÷ bare crypto.verify RS256",
    target: `≤ ${ratio(jwtTarget)}`,
    measured: ratio(jwt.ratio),
    met: jwt.ratio <= jwtTarget,
    miss:
      `${over(jwt.ratio, jwtTarget)}: +${ms(jwt.subject.median - jwt.base.median)} per token. aws-jwt-verify decodes header and payload, checks the claims, ` +
      "and verifies through `createVerify()` (a stream object per token) where the baseline makes one `crypto.verify` call",
  });
  list.push({
    what: "P4. JWKS fetches after warm-up",
    target: "0",
    measured: String(m.jwt.jwksFetchesAfterWarmup),
    met: m.jwt.jwksFetchesAfterWarmup === 0,
  });

  const bare = m.cpu.runs.find((r) => r.name === "bare GetItem");
  const floor = m.cpu.runs.find((r) => r.name.startsWith("floor handler"));
  for (const r of m.cpu.runs)
    if (r.target !== undefined)
      list.push({
        what: `P5. ${r.name}: CPU per request ÷ bare GetItem's (process.cpuUsage, ${r.requests} requests each)`,
        target: `≤ ${ratio(r.target)}`,
        measured: ratio(r.ratio),
        met: r.ratio <= r.target,
        miss:
          `${over(r.ratio, r.target)}: ${r.microsPerRequest.toFixed(0)} µs against ${bare?.microsPerRequest.toFixed(0) ?? "?"} µs; ` +
          `the floor handler takes ${floor?.microsPerRequest.toFixed(0) ?? "?"} µs (${floor ? ratio(floor.ratio) : "?"}): the rest is ElectroDB, tRPC, zod, the API-key or JWT check and the access log`,
      });
  return list;
};
