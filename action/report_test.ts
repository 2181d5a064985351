import assert from "node:assert/strict";
import * as core from "@actions/core";
import { join } from "node:path";
import type { BoardResult } from "./flash_board.ts";
import type { RunReport } from "./outputs.ts";
import { publishReport } from "./report.ts";

function board(port: string, ok: boolean): BoardResult {
  return {
    port,
    ok,
    stage: ok ? "done" : "flash",
    chip: ok ? "ESP8266EX" : null,
    mac: ok ? "5c:cf:7f:00:00:02" : null,
    flashBytes: null,
    bytesWritten: 1,
    bytesSkipped: 0,
    seconds: 1,
    smoke: null,
    problem: ok
      ? null
      : { code: "connect/no-response", message: `No response on ${port}`, hint: "Check it." },
    lines: [],
    console: new Uint8Array(),
  };
}

const report: RunReport = {
  prepared: {
    firmware: { name: "fw<1>.bin", size: 1, sha256: "ff".repeat(32), source: "release" },
    release: { repository: "o/r", tag: "v1", id: 1 },
  },
  results: [board("/dev/a", true), board("/dev/b", false)],
  logs: [],
  logDir: "/l",
};

Deno.test("report: outputs, one annotation per failed board, and the summary table", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "summary.md");
  await Deno.writeTextFile(file, "");
  const before = Deno.env.get("GITHUB_STEP_SUMMARY");
  Deno.env.set("GITHUB_STEP_SUMMARY", file);
  try {
    const outputs = new Map<string, unknown>();
    const errors: Array<[string, string | undefined]> = [];
    await publishReport(report, {
      summaryFile: "set",
      sink: {
        setOutput: (name, value) => outputs.set(name, value),
        error: (message, props) => errors.push([String(message), props?.title]),
        summary: core.summary.emptyBuffer(),
      },
    });
    assert.equal(outputs.get("release-tag"), "v1");
    assert.equal(JSON.parse(String(outputs.get("results"))).length, 2);
    assert.deepEqual(errors, [[
      "No response on /dev/b\nHint: Check it.",
      "nodeflash: /dev/b failed (connect/no-response)",
    ]]);
    const html = await Deno.readTextFile(file);
    assert.match(html, /<h2>nodeflash: fw&lt;1&gt;\.bin from o\/r v1, 1 of 2 boards ok<\/h2>/);
    assert.equal(html.match(/<tr>/g)?.length, 3, "a header row and one row per board");
    assert.match(html, /<th>Board<\/th>/);
    assert.match(html, /<td>\/dev\/b<\/td><td>❌ connect\/no-response \(flash\)<\/td>/);
  } finally {
    if (before === undefined) Deno.env.delete("GITHUB_STEP_SUMMARY");
    else Deno.env.set("GITHUB_STEP_SUMMARY", before);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report: no summary file, no summary", async () => {
  let touched = false;
  const summary = new Proxy(core.summary, {
    get(target, key, receiver) {
      touched = true;
      return Reflect.get(target, key, receiver);
    },
  });
  await publishReport(report, {
    summaryFile: "unset",
    sink: { setOutput: () => {}, error: () => {}, summary },
  });
  assert.equal(touched, false);
});
