/**
 * A response validator for the served OpenAPI document: is this status documented for this
 * operation, does the body match the schema documented for it, are the headers it requires there?
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) with ajv; `$ref`s resolve inside the document.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { responseOf, type Doc } from "./openapi-doc.ts";

const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

export type Answer = { status: number; headers: Headers; text: string };

export const responseChecker = (doc: Doc) => {
  // Not strict: the document's schemas carry OpenAPI's `example` and descriptions; zod's patterns
  // are JavaScript regular expressions, not all valid under the `u` flag.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: "openapi.json" });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let v = compiled.get(ref);
    if (!v) {
      v = ajv.compile({ $ref: `openapi.json${ref}` });
      compiled.set(ref, v);
    }
    return v;
  };

  /** What is wrong with `answer` as a response of `method path` (a path template); empty when nothing is. */
  return (method: string, path: string, answer: Answer): string[] => {
    const where = `${method.toUpperCase()} ${path} → ${answer.status}`;
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) return [`${where}: no such operation in the document`];
    const documented = op.responses[String(answer.status)];
    if (!documented)
      return [
        `${where}: status not documented (documented: ${Object.keys(op.responses).join(", ")}) ${answer.text.slice(0, 200)}`,
      ];
    const response = responseOf(doc, documented);
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response?.headers ?? {}))
      if (header.required && !answer.headers.has(name)) problems.push(`${where}: required header ${name} missing`);
    const media = response?.content?.["application/json"];
    if (!media?.schema) return problems;
    if (!answer.headers.get("content-type")?.startsWith("application/json"))
      return [...problems, `${where}: not JSON (${answer.headers.get("content-type")})`];
    const at = documented.$ref
      ? pointer(
          "components",
          "responses",
          documented.$ref.replace("#/components/responses/", ""),
          "content",
          "application/json",
          "schema",
        )
      : pointer(
          "paths",
          path,
          method.toLowerCase(),
          "responses",
          String(answer.status),
          "content",
          "application/json",
          "schema",
        );
    const validate = validator(at);
    if (!validate(JSON.parse(answer.text)))
      problems.push(
        `${where}: body does not match the documented schema: ${ajv.errorsText(validate.errors)} in ${answer.text.slice(0, 300)}`,
      );
    return problems;
  };
};
