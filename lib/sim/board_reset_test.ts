/**
 * The reset paths of the simulated board, driven the way hosts drive them: esptool's classic and
 * tight sequences and the hard reset from the memory link (with real waits, as the flasher runs
 * them), a board without the circuit (buttons only), power cycles, a stuck GPIO0.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import {
  classicReset,
  HARD_RESET,
  runResetSequence,
  tightReset,
} from "../protocol/reset_sequence.ts";
import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";
import { connectSimLink } from "./sim_link.ts";

const FW = buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "4MB" }).combined;

async function withLink(
  options: BoardOptions,
  fn: (board: SimBoard, run: (sequence: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const board = new SimBoard({ flashContents: flashImage(4 << 20, FW), ...options });
  const link = connectSimLink(board);
  try {
    await fn(board, async (sequence) => {
      await runResetSequence(link.transport, sequence);
      await board.idle();
    });
  } finally {
    await link.transport.close();
    await board.close();
  }
}

for (
  const [name, sequence] of [
    ["classic (50 ms)", classicReset(0.05)],
    ["classic (550 ms)", classicReset(0.55)],
    ["tight (50 ms)", tightReset(0.05)],
    ["tight (550 ms)", tightReset(0.55)],
  ] as const
) {
  Deno.test(`reset: the ${name} sequence over the memory link enters ROM download mode`, () =>
    withLink({}, async (board, run) => {
      await board.idle();
      assert.equal(board.state, "app", "a devkit powers up running its firmware");
      await run(sequence);
      assert.equal(board.state, "download");
      assert.deepEqual(board.lastReset, { cause: 2, kind: "external", mode: "download" });
    }));
}

Deno.test("reset: the hard reset (RTS pulse, DTR released) boots the firmware to its prompt", () =>
  withLink({}, async (board, run) => {
    await run(classicReset(0.05));
    assert.equal(board.state, "download");
    const tap = new ConsoleTap(board);
    await run(HARD_RESET);
    assert.equal(board.state, "app");
    assert.deepEqual(board.lastReset, { cause: 2, kind: "external", mode: "flash" });
    assert.match(await tap.until("> "), /cannot open init\.lua: \r\n> $/);
  }));

Deno.test("reset: a board without the circuit ignores the lines; the buttons enter download mode", () =>
  withLink({ reset: "manual" }, async (board, run) => {
    await run(classicReset(0.05));
    await run(HARD_RESET);
    assert.equal(board.lastReset.kind, "power-on", "no line reached EN");
    await board.enterDownloadMode();
    assert.equal(board.state, "download");
    assert.deepEqual(board.lastReset, { cause: 2, kind: "external", mode: "download" });
    board.resetButton("down");
    assert.equal(board.state, "reset");
    board.resetButton("up");
    await board.idle();
    assert.deepEqual([board.state, board.lastReset.mode], ["app", "flash"]);
  }));

Deno.test("reset: a power cycle starts the firmware (rst cause 1), wherever the lines were left", () =>
  withLink({}, async (board, run) => {
    await run("D0|R1|W0.1|D1|R0");
    assert.equal(board.state, "download", "GPIO0 still held low by DTR");
    board.powerCycle();
    await board.idle();
    assert.deepEqual([board.state, board.lastReset.cause, board.lastReset.mode], [
      "app",
      1,
      "flash",
    ]);
  }));

Deno.test("reset: with GPIO0 stuck high no sequence reaches download mode", () =>
  withLink({ faults: "stuck-gpio0" }, async (board, run) => {
    await run(classicReset(0.05));
    await run(tightReset(0.55));
    await board.enterDownloadMode();
    assert.deepEqual([board.state, board.lastReset.mode], ["app", "flash"]);
  }));

Deno.test("reset: boards made with bootMode download start in the loader (endpoints without lines)", async () => {
  const board = new SimBoard({ bootMode: "download" });
  assert.deepEqual([board.state, board.lastReset.cause], ["download", 1]);
  await board.close();
});
