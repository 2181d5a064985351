/**
 * The flash suite against a real board (NODEFLASH_HW_PORT): identify it, write a scratch region
 * through the stub (compressed, MD5-verified), write it again (nothing to write), read it back,
 * erase it, and put back what was there. It uses 64 KiB just below the SDK's system area, the
 * end of NodeMCU's file system on most boards, and restores it at the end, even on failure.
 */

import assert from "node:assert/strict";
import {
  eraseRegion,
  flash,
  leave,
  openSession,
  openTransport,
  readFlash,
  type Transport,
} from "../../mod.ts";
import { fillerBytes } from "../../lib/testing/mod.ts";
import { runCli } from "../support/run_cli.ts";
import { hardwareTest, HW_PORT } from "./hardware.ts";

const SCRATCH = 0x10000;

async function withBoard<T>(fn: (port: Transport) => Promise<T>): Promise<T> {
  const port = await openTransport(HW_PORT, { baudRate: 115200 });
  try {
    return await fn(port);
  } finally {
    await port.close();
  }
}

hardwareTest("hardware: info names an ESP8266, its MAC and its flash", async () => {
  const run = await runCli(["info", "--port", HW_PORT, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const result = run.json().at(-1)!;
  assert.match(String(result.chip), /ESP82(66|85)/);
  assert.match(String(result.mac), /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  assert.ok(Number(result.flashSizeBytes) >= 512 * 1024);
});

hardwareTest("hardware: write, skip, read back, erase, restore a scratch region", async () => {
  const { scratch, saved } = await withBoard(async (port) => {
    const ready = await openSession(port);
    const scratch = ready.size.bytes - 0x5000 - SCRATCH;
    assert.equal(ready.session.kind, "stub");
    const saved = await readFlash(ready.session, { address: scratch, size: SCRATCH });
    await leave(ready.session, "no-reset");
    return { scratch, saved };
  });
  try {
    const data = fillerBytes(SCRATCH, Date.now() & 0xffff);
    const first = await withBoard((port) =>
      flash(port, { files: [{ address: scratch, name: "scratch", data }], after: "no-reset" })
    );
    assert.equal(first.regions[0]?.verified, true);
    assert.ok(first.regions[0]!.bytesWritten > 0);
    const again = await withBoard((port) =>
      flash(port, { files: [{ address: scratch, name: "scratch", data }], after: "no-reset" })
    );
    assert.equal(again.regions[0]?.bytesWritten, 0, "already on the chip: nothing written");
    await withBoard(async (port) => {
      const ready = await openSession(port);
      if (ready.session.kind !== "stub") throw new Error("a stub session was expected");
      assert.deepEqual(await readFlash(ready.session, { address: scratch, size: SCRATCH }), data);
      await eraseRegion(ready.session, { address: scratch, size: SCRATCH });
      const erased = await readFlash(ready.session, { address: scratch, size: 0x1000 });
      assert.ok(erased.every((b) => b === 0xff), "erased");
      await leave(ready.session, "no-reset");
    });
  } finally {
    const back = await withBoard((port) =>
      flash(port, { files: [{ address: scratch, name: "restore", data: saved }] })
    );
    assert.equal(back.regions[0]?.verified, true, "the scratch region was restored");
  }
});
