import assert from "node:assert/strict";
import type { BoardResult } from "./flash_board.ts";
import { actionOutputs, boardRecords, OUTPUT_NAMES } from "./outputs.ts";

const result: BoardResult = {
  port: "rfc2217://10.0.0.2:4000",
  ok: false,
  stage: "smoke",
  chip: "ESP8266EX",
  mac: "5c:cf:7f:aa:bb:cc",
  flashBytes: 1048576,
  bytesWritten: 0,
  bytesSkipped: 196608,
  seconds: 0.4,
  smoke: {
    ok: false,
    phase: "silent",
    nodemcu: null,
    promptMs: null,
    heap: null,
    probe: null,
    diagnosis: {
      code: "smoke/silent",
      message: "Nothing came",
      hint: "Check power.",
      evidence: null,
    },
    warnings: [],
  },
  problem: { code: "smoke/silent", message: "Nothing came", hint: "Check power." },
  lines: ["not in the output"],
  console: new Uint8Array([1, 2, 3]),
};

Deno.test("outputs: every output, with the release's tag and the firmware's digest", () => {
  const outputs = actionOutputs({
    prepared: {
      firmware: { name: "nodemcu-float.bin", size: 10, sha256: "cd".repeat(32), source: "release" },
      release: { repository: "nodemcu/fw", tag: "v3.0.0", id: 9 },
    },
    results: [result],
    logs: [{ log: "/l/board-1.log", serial: "/l/board-1.serial.log" }],
    logDir: "/l",
  });
  assert.deepEqual(Object.keys(outputs).sort(), [...OUTPUT_NAMES].sort());
  assert.equal(outputs["release-tag"], "v3.0.0");
  assert.equal(outputs["firmware-name"], "nodemcu-float.bin");
  assert.equal(outputs["firmware-sha256"], "cd".repeat(32));
  assert.equal(outputs["log-dir"], "/l");
  const [record] = JSON.parse(outputs.results);
  assert.deepEqual(record, {
    port: "rfc2217://10.0.0.2:4000",
    ok: false,
    stage: "smoke",
    chip: "ESP8266EX",
    mac: "5c:cf:7f:aa:bb:cc",
    flashBytes: 1048576,
    bytesWritten: 0,
    bytesSkipped: 196608,
    seconds: 0.4,
    smoke: result.smoke,
    error: result.problem,
    log: "/l/board-1.log",
    serialLog: "/l/board-1.serial.log",
    lua: null,
    junit: null,
  });
});

Deno.test("outputs: records keep the port order and leave the log lines and bytes out", () => {
  const records = boardRecords({
    results: [{ ...result, port: "b" }, { ...result, port: "a" }],
    logs: [],
  });
  assert.deepEqual(records.map((r) => r.port), ["b", "a"]);
  assert.ok(!JSON.stringify(records).includes("not in the output"));
  assert.equal(records[0]!.log, null);
});
