import type { Metafile } from "esbuild";
import type { BundleShare } from "./results.ts";

/** `…/node_modules/@scope/name/…` → `@scope/name`; our own code by workspace package. */
export const owner = (path: string): string => {
  const at = path.lastIndexOf("node_modules/");
  if (at >= 0) {
    const [a = "", b = ""] = path.slice(at + "node_modules/".length).split("/");
    return a.startsWith("@") ? `${a}/${b}` : a;
  }
  const own = /^packages\/([^/]+)\//.exec(path);
  return own ? `packages/${own[1]} (own code)` : path;
};

type Edge = (from: string, to: string) => boolean;

/** Input files reachable from the entry, following static and dynamic imports, minus blocked edges; with the importer that first reached each. */
const reach = (metafile: Metafile, entry: string, blocked: Edge = () => false) => {
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift())
    for (const imp of metafile.inputs[file]?.imports ?? []) {
      if (imp.external || parent.has(imp.path) || blocked(file, imp.path)) continue;
      parent.set(imp.path, file);
      queue.push(imp.path);
    }
  return parent;
};

/**
 * Import cuts worth knowing about: what would leave the bundle if the service (or a dependency)
 * stopped importing it. Each is an edge test on the import graph.
 */
const CUTS: { name: string; why: string; blocked: Edge }[] = [
  {
    name: "co-body (→ raw-body → iconv-lite; type-is → mime-db)",
    why: "trpc-to-openapi's node-http adapter parses Node request bodies with it; under the fetch adapter the body is already parsed, so it is imported and never called",
    blocked: (_, to) => owner(to) === "co-body",
  },
  {
    name: "zod locales other than English",
    why: "`z.locales` is re-exported by `zod`'s classic API; every message translation comes along",
    blocked: (_, to) => to.endsWith("zod/v4/locales/index.js"),
  },
  {
    name: "yaml",
    why: "openapi3-ts (trpc-to-openapi's document builder) imports it for `getSpecAsYaml`, which nothing calls",
    blocked: (from, to) => owner(to) === "yaml" && owner(from) !== "yaml",
  },
  {
    name: "pino-pretty (and its streams)",
    why: "pino 7 `require`s it for `prettyPrint` when it is installed (cognito-local installs it); pino ≥ 8 does not",
    blocked: (from, to) => owner(to) === "pino-pretty" && owner(from) !== "pino-pretty",
  },
  {
    name: "AWS credential providers other than the environment's",
    why: "Lambda passes credentials in the environment; the default chain also bundles SSO, ini files, STS web identity, …",
    blocked: (from, to) =>
      owner(from) === "@aws-sdk/credential-provider-node" &&
      !/credential-provider-env/.test(to) &&
      owner(to) !== owner(from),
  },
];

export type BundleAnalysis = {
  inputs: number;
  packages: (BundleShare & { via: string })[];
  files: BundleShare[];
  cuts: { name: string; why: string; bytes: number }[];
  /** all cuts at once (not the plain sum: a file may hang on two of them) */
  cutAllBytes: number;
  /** packages bundled from more than one install (two versions): bytes of the extra copies */
  duplicates: { name: string; copies: string[]; extraBytes: number }[];
};

/** Packages that come from more than one `node_modules/<name>` folder (version skew). */
const duplicates = (inputs: Record<string, { bytesInOutput: number }>): BundleAnalysis["duplicates"] => {
  const copies = new Map<string, Map<string, number>>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const at = path.lastIndexOf("node_modules/");
    if (at < 0) continue;
    const name = owner(path);
    const folder = path.slice(0, at + "node_modules/".length) + name;
    const byFolder = copies.get(name) ?? new Map<string, number>();
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + bytesInOutput);
    copies.set(name, byFolder);
  }
  return [...copies]
    .filter(([, byFolder]) => byFolder.size > 1)
    .map(([name, byFolder]) => {
      const sizes = [...byFolder.values()];
      return { name, copies: [...byFolder.keys()], extraBytes: sizes.reduce((a, b) => a + b, 0) - Math.max(...sizes) };
    })
    .sort((a, b) => b.extraBytes - a.extraBytes);
};

/** What fills the bundle, by package and by file, how each package got in, and what each cut would save. */
export const analyze = (metafile: Metafile, entry: string): BundleAnalysis => {
  // The entry and its chunks together: every input is in exactly one of them.
  const js = Object.entries(metafile.outputs).filter(([path]) => path.endsWith(".mjs"));
  if (js.length === 0) throw new Error("esbuild metafile names no output for the bundle");
  const output = { inputs: Object.assign({}, ...js.map(([, o]) => o.inputs)) as Metafile["outputs"][string]["inputs"] };
  const bytesOf = (files: Iterable<string>) => {
    let sum = 0;
    for (const f of files) sum += output.inputs[f]?.bytesInOutput ?? 0;
    return sum;
  };
  const all = reach(metafile, entry);
  const chain = (pkg: string) => {
    const first = [...all.keys()].find((f) => owner(f) === pkg);
    const path: string[] = [];
    for (let f = first ?? null; f; f = all.get(f) ?? null) path.unshift(owner(f).replace(" (own code)", ""));
    return path.filter((p, i) => path[i - 1] !== p).join(" → ");
  };
  const byPackage = new Map<string, number>();
  const files: BundleShare[] = [];
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(owner(path), (byPackage.get(owner(path)) ?? 0) + bytesInOutput);
    files.push({ name: path.replace(/^.*node_modules\//, ""), bytes: bytesInOutput });
  }
  const total = bytesOf(all.keys());
  return {
    inputs: Object.keys(output.inputs).length,
    packages: [...byPackage]
      .map(([name, bytes]) => ({ name, bytes, via: chain(name) }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 15),
    files: files.sort((a, b) => b.bytes - a.bytes).slice(0, 10),
    cuts: CUTS.map(({ name, why, blocked }) => ({
      name,
      why,
      bytes: total - bytesOf(reach(metafile, entry, blocked).keys()),
    })),
    cutAllBytes: total - bytesOf(reach(metafile, entry, (from, to) => CUTS.some((c) => c.blocked(from, to))).keys()),
    duplicates: duplicates(output.inputs),
  };
};
