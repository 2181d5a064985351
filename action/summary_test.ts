import assert from "node:assert/strict";
import type { BoardResult } from "./flash_board.ts";
import type { RunReport } from "./outputs.ts";
import { escapeHtml, failureAnnotations, summaryContent } from "./summary.ts";

function board(port: string, overrides: Partial<BoardResult> = {}): BoardResult {
  return {
    port,
    ok: true,
    stage: "done",
    chip: "ESP8266EX",
    mac: "5c:cf:7f:00:00:01",
    flashBytes: 4 * 1024 * 1024,
    bytesWritten: 409_600,
    bytesSkipped: 2048,
    seconds: 12.345,
    smoke: {
      ok: true,
      phase: "probed",
      nodemcu: "3.0.0.0",
      promptMs: 1530,
      heap: 44000,
      probe: null,
      diagnosis: null,
      warnings: [],
    },
    problem: null,
    lines: [],
    console: new Uint8Array(),
    ...overrides,
  };
}

const crashed = board("/dev/nodemcu-b", {
  ok: false,
  stage: "smoke",
  smoke: {
    ok: false,
    phase: "rom",
    nodemcu: null,
    promptMs: null,
    heap: null,
    probe: null,
    diagnosis: {
      code: "smoke/fatal-exception",
      message: "The firmware on /dev/nodemcu-b crashed: <Fatal exception 28>",
      hint: "Flash with --erase all.",
      evidence: "Fatal exception 28(LoadProhibitedCause):",
    },
    warnings: [],
  },
  problem: {
    code: "smoke/fatal-exception",
    message: "The firmware on /dev/nodemcu-b crashed: <Fatal exception 28>",
    hint: "Flash with --erase all.",
  },
});

function report(results: BoardResult[]): RunReport {
  return {
    prepared: {
      firmware: {
        name: "nodemcu-float.bin",
        size: 409_600,
        sha256: "ab".repeat(32),
        source: "release",
      },
      release: { repository: "nodemcu/fw", tag: "v3.0.0", id: 7 },
    },
    results,
    logs: [],
    logDir: "/tmp/nodeflash/run-1/logs",
  };
}

Deno.test("summary: one row per board, in port order, with what happened", () => {
  const s = summaryContent(report([board("/dev/nodemcu-a"), crashed]));
  assert.equal(s.heading, "nodeflash: nodemcu-float.bin from nodemcu/fw v3.0.0, 1 of 2 boards ok");
  assert.equal(s.header.length, s.rows[0]!.length);
  assert.deepEqual(s.rows[0], [
    "/dev/nodemcu-a",
    "✅ ok",
    "ESP8266EX",
    "5c:cf:7f:00:00:01",
    "400.0 KiB",
    "2.0 KiB",
    "12.3 s",
    "passed: NodeMCU 3.0.0.0 in 1.5 s",
  ]);
  assert.equal(s.rows[1]![0], "/dev/nodemcu-b");
  assert.equal(s.rows[1]![1], "❌ smoke/fatal-exception (smoke)");
  assert.equal(s.rows[1]![7], "failed at rom: smoke/fatal-exception");
  assert.ok(s.notes.some((n) => n.includes("ab".repeat(32))));
  assert.ok(s.notes.some((n) => n.includes("/tmp/nodeflash/run-1/logs")));
});

Deno.test("summary: smoke off, and a board that never opened", () => {
  const off = board("sim://", { smoke: null });
  const unopened = board("/dev/ttyUSB7", {
    ok: false,
    stage: "open",
    chip: null,
    mac: null,
    bytesWritten: 0,
    bytesSkipped: 0,
    seconds: 0,
    smoke: null,
    problem: { code: "port/busy", message: "/dev/ttyUSB7 is in use by pid 42", hint: null },
  });
  const s = summaryContent({
    ...report([off, unopened]),
    prepared: { ...report([]).prepared, release: undefined },
  });
  assert.match(s.heading, /from the workspace, 1 of 2 boards ok/);
  assert.equal(s.rows[0]![7], "off");
  assert.deepEqual(s.rows[1]!.slice(1, 4), ["❌ port/busy (open)", "", ""]);
  assert.equal(s.rows[1]![7], "not run");
});

Deno.test("summary: text from ports and boards cannot inject HTML", () => {
  assert.equal(
    escapeHtml(`<img src=x onerror="a">&'`),
    "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;",
  );
  const s = summaryContent(report([board("sim://?seed=<script>")]));
  assert.ok(s.rows.flat().every((cell) => !cell.includes("<script>")));
});

Deno.test("annotations: one per failed board, titled with port and code, with message and hint", () => {
  const annotations = failureAnnotations([board("/dev/nodemcu-a"), crashed]);
  assert.deepEqual(annotations, [{
    title: "nodeflash: /dev/nodemcu-b failed (smoke/fatal-exception)",
    message:
      "The firmware on /dev/nodemcu-b crashed: <Fatal exception 28>\nHint: Flash with --erase all.",
  }]);
  assert.deepEqual(failureAnnotations([board("a"), board("b")]), []);
  const [noHint] = failureAnnotations([{
    port: "x",
    ok: false,
    stage: "flash",
    problem: { code: "c/d", message: "m", hint: null },
  }]);
  assert.equal(noHint?.message, "m");
});
