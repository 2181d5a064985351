/**
 * Test results as JUnit XML, the format CI dashboards read: one `<testsuite>` per test file,
 * one `<testcase>` per test, `<failure>` and `<skipped>` with the message, and the file's
 * console output as `<system-out>`.
 *
 * @module
 */

import type { TestFileResult } from "./run_tests.ts";

/**
 * Escapes text for XML (attributes and content); control characters other than TAB, LF and CR
 * are not allowed in XML 1.0 and become `?`.
 *
 * @param text the text
 * @returns the escaped text
 *
 * @example
 * ```ts
 * import { xmlEscape } from "./junit_xml.ts";
 * if (xmlEscape('a<"b">&\u0001') !== "a&lt;&quot;b&quot;&gt;&amp;?") throw new Error();
 * ```
 */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, "?");
}

/**
 * Writes JUnit XML for test files' results.
 *
 * @param files the results
 * @param options the suites' common name (the board's port, say)
 * @returns the XML document
 *
 * @example
 * ```ts
 * import { junitXml } from "./junit_xml.ts";
 * import assert from "node:assert/strict";
 * const xml = junitXml([{ file: "t.lua", path: "tests/t.lua", seconds: 1.5, output: "",
 *   tests: [{ file: "t.lua", name: "adds", status: "fail", message: "t.lua:3: 1 ~= 2" }] }]);
 * assert.match(xml, /<testsuite name="t.lua" tests="1" failures="1" errors="0" skipped="0"/);
 * assert.match(xml, /<failure message="t.lua:3: 1 ~= 2"/);
 * ```
 */
export function junitXml(files: TestFileResult[], options: { name?: string } = {}): string {
  const count = (s: string) => files.flatMap((f) => f.tests).filter((t) => t.status === s).length;
  const all = files.reduce((n, f) => n + f.tests.length, 0);
  const seconds = files.reduce((n, f) => n + f.seconds, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(options.name ?? "nodeflash")}" tests="${all}" failures="${
      count("fail")
    }" skipped="${count("skip")}" time="${seconds.toFixed(3)}">`,
  ];
  for (const f of files) {
    const fails = f.tests.filter((t) => t.status === "fail").length;
    const skips = f.tests.filter((t) => t.status === "skip").length;
    out.push(
      `  <testsuite name="${
        xmlEscape(f.file)
      }" tests="${f.tests.length}" failures="${fails}" errors="0" skipped="${skips}" time="${
        f.seconds.toFixed(3)
      }" file="${xmlEscape(f.path)}">`,
    );
    for (const t of f.tests) {
      const head = `    <testcase classname="${xmlEscape(f.file)}" name="${xmlEscape(t.name)}"`;
      if (t.status === "pass") {
        out.push(`${head}/>`);
      } else if (t.status === "skip") {
        out.push(
          `${head}>`,
          `      <skipped message="${xmlEscape(t.message)}"/>`,
          "    </testcase>",
        );
      } else {
        const first = t.message.split("\n")[0] ?? "";
        out.push(
          `${head}>`,
          `      <failure message="${xmlEscape(first)}">${xmlEscape(t.message)}</failure>`,
          "    </testcase>",
        );
      }
    }
    if (f.output !== "") out.push(`    <system-out>${xmlEscape(f.output)}</system-out>`);
    out.push("  </testsuite>");
  }
  out.push("</testsuites>", "");
  return out.join("\n");
}
