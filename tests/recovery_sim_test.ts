/**
 * Recovery inside one job, each path on the simulated board (lib/flasher/recovery.ts): a reply
 * lost (the stub still answers: resume), an error from the stub (re-sync from scratch, resume),
 * a brown-out (the board restarted: re-sync, resume), a board that keeps restarting (a power
 * error, not endless retries), `retries: 0`, and the same for verification, reads and erases.
 * Every job that completes is checked byte for byte on the board's flash.
 */

import assert from "node:assert/strict";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { flash, type FlashOptions } from "../lib/flasher/flash.ts";
import { readRegion } from "../lib/flasher/read_region.ts";
import { Recovery } from "../lib/flasher/recovery.ts";
import { resumableEraseRegion } from "../lib/flasher/resumable_erase.ts";
import { buildNodemcuFirmware, fillerBytes } from "../lib/testing/mod.ts";
import { isNodeflashError } from "../lib/errors.ts";
import { Op } from "../lib/protocol/opcodes.ts";
import type { SimBoard } from "../lib/sim/board.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";
import type { Transport } from "../lib/transport/types.ts";
import { faultyLine, type FaultyLineOptions } from "./support/faulty_line.ts";

const FW = buildNodemcuFirmware({}).combined;
const FILES = [{ address: 0, name: "fw.bin", data: FW }];

type Recovered = Extract<FlashEvent, { type: "recovered" }>;

interface Run {
  board: SimBoard;
  recovered: Recovered[];
  error: unknown;
  recoveries: number | undefined;
}

/** Flashes FW onto `sim://…` through a faulty line; never throws. */
async function flashThrough(
  url: string,
  line: FaultyLineOptions = {},
  options: Partial<FlashOptions> = {},
): Promise<Run> {
  const port = await openSimTransport(url);
  const recovered: Recovered[] = [];
  const run: Run = { board: port.board, recovered, error: undefined, recoveries: undefined };
  try {
    const result = await flash(faultyLine(port, line).transport, {
      files: FILES,
      flashSize: "keep",
      after: "no-reset",
      onEvent: (e) => e.type === "recovered" && recovered.push(e),
      ...options,
    });
    run.recoveries = result.recoveries;
    assert.equal(result.regions[0]!.verified, true);
  } catch (e) {
    run.error = e;
  } finally {
    await port.close();
  }
  return run;
}

const landed = (run: Run) => {
  assert.equal(run.error, undefined, String(run.error));
  assert.deepEqual(run.board.flash.read(0, FW.length), FW);
};

/** The offsets of the write streams the board was asked to start. */
const streams = (board: SimBoard) =>
  board.log.entries.filter((r) => r.op === Op.FLASH_DEFL_BEGIN).map((r) => r.args.offset);

/** How many times the stub was uploaded (MEM_END with an entry point). */
const stubUploads = (board: SimBoard) =>
  board.log.entries.filter((r) => r.op === Op.MEM_END && r.loader === "rom").length;

const isReply = (op: number) => (frame: Uint8Array) => frame[0] === 0x01 && frame[1] === op;

Deno.test("a lost reply: the stub still answers a SYNC, and the write goes on from the first wrong sector", async () => {
  let replies = 0;
  const run = await flashThrough("sim://", {
    dropFromBoard: (frame) => isReply(Op.FLASH_DEFL_DATA)(frame) && ++replies === 6,
  });
  landed(run);
  assert.deepEqual(run.recovered.map((e) => [e.cause, e.action, e.what]), [
    ["no-reply", "resumed", "writing fw.bin"],
  ]);
  assert.equal(run.recoveries, 1);
  const [first, second, ...more] = streams(run.board);
  assert.equal(first, 0);
  assert.ok(second! > 0 && second! % 0x1000 === 0, `resumed at 0x${second!.toString(16)}`);
  assert.deepEqual(more, []);
  assert.equal(stubUploads(run.board), 1, "no reset, no new stub");
});

Deno.test("an error from the stub mid-stream: reset into the loader, the stub uploaded again, then resumed", async () => {
  const run = await flashThrough("sim://", {
    // the frame's size field no longer matches its data: the stub answers 0xC0
    mutate: (frame, op, i) => {
      if (op !== Op.FLASH_DEFL_DATA || i !== 4) return undefined;
      const out = frame.slice();
      out[3] = out[3]! ^ 0x01;
      return out;
    },
  });
  landed(run);
  assert.deepEqual(run.recovered.map((e) => [e.cause, e.action]), [["stub-error", "resynced"]]);
  assert.equal(stubUploads(run.board), 2);
  assert.ok(streams(run.board)[1]! > 0, "resumed, not started again");
});

Deno.test("a brown-out during the write: the board restarted, re-synced and resumed", async () => {
  const run = await flashThrough("sim://?faults=brownout=700");
  landed(run);
  assert.deepEqual(run.recovered.map((e) => [e.cause, e.action]), [
    ["board-restarted", "resynced"],
  ]);
  assert.equal(stubUploads(run.board), 2, "the restart lost the stub: uploaded again");
  assert.ok(streams(run.board)[1]! > 0, "resumed, not started again");
});

Deno.test("a board that keeps restarting: a power error after three restarts, not endless retries", async () => {
  const run = await flashThrough("sim://?faults=brownout-every=150", {}, { retries: 10 });
  assert.ok(isNodeflashError(run.error), String(run.error));
  assert.equal(run.error.code, "flash/power-unstable");
  assert.match(run.error.message, /restarted 3 times while writing fw\.bin \(at 0x[0-9a-f]{8}, /);
  assert.match(run.error.hint ?? "", /power/i);
  assert.equal(run.recovered.length, 2);
  assert.equal(stubUploads(run.board), 3);
});

Deno.test("retries 0: the first fault ends the job, with the address reached", async () => {
  let replies = 0;
  const run = await flashThrough("sim://", {
    dropFromBoard: (frame) => isReply(Op.FLASH_DEFL_DATA)(frame) && ++replies === 3,
  }, { retries: 0 });
  assert.ok(isNodeflashError(run.error), String(run.error));
  assert.equal(run.error.code, "flash/interrupted");
  assert.match(run.error.message, /^Writing fw\.bin stopped at 0x[0-9a-f]{8} \(\d+ of 409600/);
  assert.match(run.error.message, /No reply to FLASH_DEFL_DATA/);
  assert.deepEqual(run.recovered, []);
});

Deno.test("a region that does not verify is a fault too: what differs is written again", async () => {
  // Two bits flipped in the same position of two bytes of an uncompressed block: the XOR
  // checksum cannot see it, the stub writes wrong bytes, the MD5 afterwards does.
  const run = await flashThrough("sim://", {
    mutate: (frame, op, i) => {
      if (op !== Op.FLASH_DATA || i !== 6) return undefined; // 0x18000: firmware, not padding
      const out = frame.slice();
      let flipped = 0;
      for (let j = 40; j < out.length - 1 && flipped < 2; j++) {
        if (out[j]! < 0xc0 && out[j - 1] !== 0xdb && (out[j]! ^ 0x04) < 0xc0) {
          out[j] = out[j]! ^ 0x04;
          flipped++;
        }
      }
      return out;
    },
  }, { compress: "off" });
  landed(run);
  assert.deepEqual(run.recovered.map((e) => [e.cause, e.action]), [
    ["verify-mismatch", "resumed"],
  ]);
});

/** A stub session on `sim://…` (through a faulty line) for reads and erases. */
async function withRecovery<T>(
  board: { url: string; contents: Uint8Array },
  line: FaultyLineOptions,
  work: (recovery: Recovery, port: SimTransport, events: Recovered[]) => Promise<T>,
): Promise<T> {
  const port = await openSimTransport(board.url, { board: { flashContents: board.contents } });
  const events: Recovered[] = [];
  const transport: Transport = faultyLine(port, line).transport;
  try {
    const recovery = new Recovery(transport, {
      onEvent: (e) => e.type === "recovered" && events.push(e),
    });
    await recovery.open();
    return await work(recovery, port, events);
  } finally {
    await port.close();
  }
}

const MB1 = () => new Uint8Array(1 << 20).fill(0xff);

Deno.test("a read goes on after a lost data packet, at the segment it was in; every byte checked", async () => {
  const contents = MB1();
  contents.set(fillerBytes(0x40000, 9), 0x10000);
  let reading = false;
  let packets = 0;
  await withRecovery(
    { url: "sim://?flash-size=1MB", contents },
    {
      dropFromBoard: (frame) => {
        if (isReply(Op.READ_FLASH)(frame)) reading = true;
        return reading && frame.length >= 0x1000 && ++packets === 30;
      },
    },
    async (recovery, port, events) => {
      const bytes = await readRegion(recovery, { address: 0x8000, size: 0x50000 });
      assert.deepEqual(bytes, contents.subarray(0x8000, 0x58000));
      assert.deepEqual(events.map((e) => [e.cause, e.what]), [["no-reply", "reading 0x00018000"]]);
      const reads = port.board.log.entries.filter((r) => r.op === Op.READ_FLASH);
      assert.equal(reads.length, 6, "five segments, one of them twice");
    },
  );
});

Deno.test("an erase whose reply is lost ends by what the chip says: every sector reads as erased", async () => {
  const contents = MB1();
  contents.fill(0x42, 0x20000, 0x23000);
  await withRecovery(
    { url: "sim://?flash-size=1MB", contents },
    { dropFromBoard: isReply(Op.ERASE_REGION) },
    async (recovery, port, events) => {
      await resumableEraseRegion(recovery, { address: 0x20000, size: 0x3000 });
      assert.ok(port.board.flash.isBlank(0x20000, 0x3000));
      assert.deepEqual(events.map((e) => [e.cause, e.action]), [["no-reply", "resumed"]]);
      const erases = port.board.log.entries.filter((r) => r.op === Op.ERASE_REGION);
      assert.equal(erases.length, 1, "nothing left to erase again");
    },
  );
});
