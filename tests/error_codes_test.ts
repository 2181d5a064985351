/**
 * The error-code table (lib/error_codes/) against the source: every code the source raises or
 * reports has a row, of the kind it is raised as; every row is used; docs/errors.md is the
 * table's.
 */

import assert from "node:assert/strict";
import { INPUT_NAMES } from "../action/inputs.ts";
import type { ErrorCode } from "../lib/error_codes/error_code.ts";
import { ERROR_CODES } from "../lib/error_codes/error_codes.ts";
import { errorsMarkdown } from "../lib/error_codes/errors_markdown.ts";
import { describeStatus } from "../lib/protocol/status.ts";
import { type CodeSite, ROOT, scanCodes, scanSource } from "./support/code_scan.ts";
import { ERRORS_DOC } from "./support/errors_doc.ts";

/** Every status slug a loader can answer, as the code `commandFailed` gives it. */
function statusCodes(): string[] {
  const codes = new Set<string>();
  for (const kind of ["rom", "stub"] as const) {
    for (let code = 0; code < 256; code++) codes.add(`${kind}/${describeStatus(kind, code).slug}`);
  }
  return [...codes];
}

/**
 * What each code built at run time can be, by `file: template`. A new one fails the test until
 * it is listed here.
 */
const BUILT_AT_RUN_TIME: Record<string, () => string[]> = {
  "lib/protocol/status.ts: ${kind}/${slug}": statusCodes,
  "action/input_error.ts: input/${name}": () => INPUT_NAMES.map((name) => `input/${name}`),
  "action/prepare_firmware.ts: input/${input}": () => ["input/firmware", "input/init-data"],
};

/** The file of lib/error_codes/ that holds each area's rows. */
async function areaFiles(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of Deno.readDir(`${ROOT}/lib/error_codes`)) {
    if (!entry.name.endsWith("_codes.ts") || entry.name === "error_codes.ts") continue;
    const module = await import(`../lib/error_codes/${entry.name}`);
    for (const rows of Object.values(module) as ErrorCode[][]) {
      for (const row of rows) out.set(row.code.split("/")[0]!, `lib/error_codes/${entry.name}`);
    }
  }
  return out;
}

/** The codes each site stands for. */
function expand(site: CodeSite): string[] {
  if (!site.dynamic) return [site.code];
  const expansion = BUILT_AT_RUN_TIME[`${site.file}: ${site.code}`];
  if (expansion === undefined) {
    throw new Error(
      `${site.file}:${site.line} builds an error code at run time (\`${site.code}\`): list the ` +
        `codes it can give in BUILT_AT_RUN_TIME in tests/error_codes_test.ts, or write them out.`,
    );
  }
  return expansion();
}

const SITES = await scanCodes();
const BY_CODE = new Map(ERROR_CODES.map((row) => [row.code, row]));

Deno.test("error codes: every code the source uses has a row in the table", async () => {
  const files = await areaFiles();
  const missing: string[] = [];
  for (const site of SITES) {
    for (const code of expand(site)) {
      if (BY_CODE.has(code)) continue;
      const area = code.split("/")[0]!;
      const kind = site.raisedAs ?? "user | device | warning | note";
      const where = files.get(area) ??
        `a new lib/error_codes/${area}_codes.ts, spread into ERROR_CODES in lib/error_codes/error_codes.ts`;
      missing.push(
        `"${code}" (${site.file}:${site.line}) has no row: add { code: "${code}", kind: "${kind}", ` +
          `meaning: "...", hint: "..." } to ${where}, then run deno task errors-doc`,
      );
    }
  }
  assert.deepEqual([...new Set(missing)], []);
});

Deno.test("error codes: each is raised as the kind its row says", () => {
  const wrong = SITES.filter((s) => s.raisedAs && BY_CODE.get(s.code)?.kind !== s.raisedAs)
    .filter((s) => BY_CODE.has(s.code))
    .map((s) =>
      `${s.file}:${s.line} raises "${s.code}" as a ${s.raisedAs} error, but its row says ` +
      `${BY_CODE.get(s.code)!.kind}: fix one of them`
    );
  assert.deepEqual(wrong, []);
});

Deno.test("error codes: no row twice, and no row for a code nothing uses", () => {
  const seen = new Set<string>();
  const twice = ERROR_CODES.filter((r) => seen.has(r.code) || !seen.add(r.code)).map((r) => r.code);
  assert.deepEqual(twice, []);
  const used = new Set(SITES.flatMap(expand));
  const unused = ERROR_CODES.filter((r) => !used.has(r.code)).map((r) =>
    `"${r.code}" has a row but nothing in lib/ or action/ uses it: remove the row`
  );
  assert.deepEqual(unused, []);
});

Deno.test("error codes: docs/errors.md is written from the table", async () => {
  const doc = await Deno.readTextFile(ERRORS_DOC);
  assert.ok(
    doc === errorsMarkdown(ERROR_CODES),
    "docs/errors.md is not the table's: run deno task errors-doc",
  );
});

Deno.test("error codes: the scan finds codes, and codes built at run time", () => {
  const sites = scanSource(
    "lib/x/y.ts",
    [
      "/** Throws `port/busy` when ... */",
      'import { a } from "./b/c.ts";',
      'throw userError("input/bad", "message");',
      "throw deviceError(",
      '  "port/gone",',
      "return deviceError(`${kind}/${slug}`, text);",
      'const type = "application/octet-stream";',
    ].join("\n"),
  );
  assert.deepEqual(sites.map((s) => [s.code, s.raisedAs, s.dynamic]), [
    ["input/bad", "user", false],
    ["port/gone", "device", false],
    ["${kind}/${slug}", undefined, true],
  ]);
});

Deno.test("error codes: every troubleshooting section a row names is in docs/troubleshooting.md", async () => {
  const doc = await Deno.readTextFile(new URL("../docs/troubleshooting.md", import.meta.url));
  const anchors = new Set([...doc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));
  const rows = ERROR_CODES.filter((r) => r.troubleshooting !== undefined);
  const missing = rows.filter((r) => !anchors.has(r.troubleshooting!)).map((r) =>
    `${r.code}: no <a id="${r.troubleshooting}"></a> in docs/troubleshooting.md`
  );
  assert.deepEqual(missing, []);
  // Every diagnosis of connect and of the smoke test has a section.
  const diagnoses = ERROR_CODES.filter((r) =>
    r.code.startsWith("connect/") ||
    (r.code.startsWith("smoke/") && !["smoke/bad-probe", "smoke/failed"].includes(r.code))
  );
  assert.deepEqual(diagnoses.filter((r) => r.troubleshooting === undefined).map((r) => r.code), []);
  assert.deepEqual(rows.filter((r) => r.troubleshooting !== r.code.replace("/", "-")), []);
});
