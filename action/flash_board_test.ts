import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
import { openTransport, type Transport, userError } from "../mod.ts";
import type { SimTransport } from "../lib/sim/mod.ts";
import { type BoardSettings, flashBoard } from "./flash_board.ts";

const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x20000, seed: 3 }).combined;

function settings(overrides: Partial<BoardSettings> = {}): BoardSettings {
  return {
    files: [{ address: 0, name: "fw.bin", data: FIRMWARE }],
    initData: { kind: "builtin", which: "default" },
    baud: 460800,
    flashMode: "keep",
    flashSize: "keep",
    erase: "none",
    smoke: "off",
    smokeTimeoutMs: 300,
    probe: undefined,
    ...overrides,
  };
}

/** Opens sim:// ports and keeps each board for inspection. */
function simOpener() {
  const opened: SimTransport[] = [];
  return {
    opened,
    open: async (port: string): Promise<Transport> => {
      const t = await openTransport(port, { baudRate: 115200 }) as SimTransport;
      opened.push(t);
      return t;
    },
  };
}

Deno.test("flashBoard: writes and verifies the firmware and init data on a simulated board", async () => {
  const sim = simOpener();
  const lines: string[] = [];
  const result = await flashBoard("sim://?flash-size=1MB", {
    settings: settings(),
    open: sim.open,
    onLine: (l) => lines.push(l),
  });
  assert.equal(result.ok, true, JSON.stringify(result.problem));
  assert.equal(result.stage, "done");
  assert.equal(result.chip, "ESP8266EX");
  assert.match(result.mac ?? "", /^5c:cf:7f(:[0-9a-f]{2}){3}$/);
  assert.equal(result.flashBytes, 1024 * 1024);
  assert.equal(result.bytesWritten, FIRMWARE.length + 128);
  assert.equal(result.smoke, null);
  const board = sim.opened[0]!.board;
  assert.deepEqual(board.flash.read(0, FIRMWARE.length), FIRMWARE);
  assert.equal(
    board.flash.read(0x100000 - 0x4000, 2).join(","),
    "5,8",
    "init data v08 at size - 0x4000",
  );
  assert.deepEqual(result.lines, lines, "every line went out as it happened");
  assert.ok(lines.some((l) => /^verify fw\.bin: ok/.test(l)));
});

Deno.test("flashBoard: a failed smoke test is the board's problem, with the diagnosis, not an exception", async () => {
  const sim = simOpener();
  const result = await flashBoard("sim://", {
    settings: settings({ smoke: "on" }),
    open: sim.open,
    smokeTiming: { romWindowMs: 20, nudgeAfterMs: 50 },
  });
  // Whether the board passes depends on the simulator's console; the result must agree with
  // the smoke test either way, and a failure must carry the smoke test's diagnosis.
  assert.ok(result.smoke !== null);
  assert.equal(result.ok, result.smoke.ok);
  if (!result.ok) {
    assert.equal(result.stage, "smoke");
    assert.equal(result.problem?.code, result.smoke.diagnosis?.code);
    assert.match(result.problem?.message ?? "", /sim:\/\//);
  }
  assert.deepEqual(sim.opened[0]!.board.flash.read(0, 2), FIRMWARE.slice(0, 2));
});

Deno.test("flashBoard: an error while flashing names the step; the port is closed", async () => {
  const sim = simOpener();
  const result = await flashBoard("sim://?flash-size=256KB", {
    settings: settings({
      initData: { kind: "none" },
      files: [{ address: 0x40000, name: "far.bin", data: FIRMWARE }],
    }),
    open: sim.open,
  });
  assert.equal(result.ok, false);
  assert.equal(result.stage, "flash");
  assert.equal(result.problem?.code.split("/")[0], "input");
  assert.match(result.lines.at(-1) ?? "", /^failed \(flash\): /);
  await assert.rejects(sim.opened[0]!.write(new Uint8Array([0xc0])));
});

Deno.test("flashBoard: a bug becomes internal/bug with its stack in the log", async () => {
  const result = await flashBoard("/dev/x", {
    settings: settings(),
    open: () => Promise.reject(new TypeError("boom")),
  });
  assert.equal(result.problem?.code, "internal/bug");
  assert.match(result.problem?.message ?? "", /TypeError: boom/);
  assert.ok(result.lines.some((l) => l.includes("flash_board_test.ts")));
});

Deno.test("flashBoard: a port that cannot be opened", async () => {
  const result = await flashBoard("/dev/ttyUSB9", {
    settings: settings(),
    open: () =>
      Promise.reject(userError("port/busy", "/dev/ttyUSB9 is in use by pid 4242", "Close it.")),
  });
  assert.deepEqual(
    { ok: result.ok, stage: result.stage, problem: result.problem, written: result.bytesWritten },
    {
      ok: false,
      stage: "open",
      problem: {
        code: "port/busy",
        message: "/dev/ttyUSB9 is in use by pid 4242",
        hint: "Close it.",
      },
      written: 0,
    },
  );
});
