/**
 * Every document the repository cites is in it: each `docs/<name>.md` in lib/, action/, tests/,
 * mod.ts, README.md and docs/ names a file of docs/, with the section or anchor it names, and no
 * file cites the team's notes beside the repository (the `shared` folder's docs, which readers of
 * the repository do not have). tests/support/doc_references.ts says what counts as a citation.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "./support/code_scan.ts";
import {
  checkReferences,
  docTargets,
  findReferences,
  headingSlug,
  scannedFiles,
} from "./support/doc_references.ts";

/** A path in docs/, built so that this file does not cite it itself. */
const inDocs = (name: string) => ["docs", name].join("/");

async function repositoryDocs(): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  for await (const entry of Deno.readDir(join(ROOT, "docs"))) {
    if (entry.isFile && entry.name.endsWith(".md")) {
      docs.set(entry.name, await Deno.readTextFile(join(ROOT, "docs", entry.name)));
    }
  }
  return docs;
}

Deno.test("every cited document, section and anchor is in docs/", async () => {
  const docs = await repositoryDocs();
  const problems: string[] = [];
  const sharedNotes: string[] = [];
  let citations = 0;
  for (const file of await scannedFiles(ROOT)) {
    const found = findReferences(file, await Deno.readTextFile(join(ROOT, file)));
    citations += found.references.length;
    problems.push(...checkReferences(found.references, docs));
    sharedNotes.push(...found.sharedNotes.map((line) => `${file}:${line}`));
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(sharedNotes, [], "the team's shared notes are not in the repository");
  // the scan did read the source's citations (lib/ alone has dozens)
  assert.ok(citations > 100, `only ${citations} citations found`);
});

Deno.test("the docs the source cites most are there, with their sections", async () => {
  const docs = await repositoryDocs();
  for (const name of ["protocol.md", "boot-log.md", "lua-side.md", "performance.md"]) {
    assert.ok(docs.has(name), `${name} is missing from docs/`);
  }
  assert.ok(docTargets(docs.get("protocol.md")!).sections.has("4.1"));
  assert.ok(docTargets(docs.get("boot-log.md")!).sections.has("A.6"));
  assert.ok(docTargets(docs.get("lua-side.md")!).anchors.has("receive-ring"));
  assert.ok(docTargets(docs.get("performance.md")!).anchors.has("rom-autobaud"));
});

Deno.test("a citation of a missing document, section or anchor is reported", () => {
  const docs = new Map([
    ["protocol.md", "# P\n\n## 4. Connecting\n\n### 4.1 SYNC and the baud rate\n"],
    ["boot-log.md", '## A. A normal boot\n\n### A.6 `init.lua`\n<a id="smoke-x"></a>\n'],
  ]);
  const text = [
    `see ${inDocs("protocol.md")} §4.1 and ${inDocs("protocol.md")} §4.2`,
    `and ${inDocs("boot-log.md")} A.6, ${inDocs("boot-log.md")} A.7, ${inDocs("gone.md")}`,
    `(../../${inDocs("boot-log.md")}#a6-initlua) (${inDocs("boot-log.md")}#smoke-x)`,
    `${inDocs("boot-log.md")}#nowhere; protocol.md §9; other-project/${inDocs("lfs.md")}`,
    `notes: ${["..", "shared", "docs", "field.md"].join("/")}`,
  ].join("\n");
  const found = findReferences("lib/x.ts", text);
  assert.deepEqual(checkReferences(found.references, docs), [
    "lib/x.ts:1: protocol.md has no section 4.2",
    "lib/x.ts:2: boot-log.md has no section A.7",
    "lib/x.ts:2: cites gone.md, which is not in docs/",
    "lib/x.ts:4: boot-log.md has no anchor #nowhere",
    "lib/x.ts:4: protocol.md has no section 9",
  ]);
  assert.deepEqual(found.sharedNotes, [5]);
});

Deno.test("links between documents in docs/ are checked, elsewhere only docs/ paths", () => {
  const docs = new Map([["errors.md", "# Error codes\n"]]);
  const text = "[a](errors.md) [b](troubleshooting.md#x) [c](errors.md#error-codes)";
  assert.deepEqual(checkReferences(findReferences(inDocs("y.md"), text).references, docs), [
    `${inDocs("y.md")}:1: cites troubleshooting.md, which is not in docs/`,
  ]);
  assert.deepEqual(findReferences("README.md", text).references, []);
});

Deno.test("anchors are GitHub's heading slugs", () => {
  assert.equal(headingSlug("A.6 `init.lua`"), "a6-initlua");
  assert.equal(
    headingSlug("Fault campaign (issue 15): finishing the job, against esptool v4.8.1"),
    "fault-campaign-issue-15-finishing-the-job-against-esptool-v481",
  );
  assert.equal(headingSlug("The chip's work"), "the-chips-work");
  const t = docTargets("## Notes\n```\n## not a heading\n```\n## Notes\n");
  assert.deepEqual([...t.anchors], ["notes", "notes-1"]);
});
