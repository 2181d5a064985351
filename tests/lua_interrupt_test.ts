/**
 * A cable pulled in the middle of an upload (the simulated USB device vanishes, as the sim's
 * `disconnect` fault does): the error names the file and how far it got, the board keeps the
 * old file under its name, and the same upload over a new connection completes.
 */

import assert from "node:assert/strict";
import { isNodeflashError } from "../lib/errors.ts";
import { openLuaSession, UPLOAD_TEMP_NAME, uploadFile } from "../lib/lua/mod.ts";
import { connectSimLink, SimBoard } from "../lib/sim/mod.ts";
import { nodemcuFlash } from "./support/lua_sim.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("a cable pulled mid-upload leaves the old file intact, names what was reached, and the rerun completes", async () => {
  const board = new SimBoard({ flashContents: nodemcuFlash() });
  try {
    const first = connectSimLink(board);
    const old = text("print('version 1')\n");
    const fresh = new Uint8Array(30_000).map((_, i) => 0x20 + (i * 7) % 90);
    // the cable is pulled once 15 000 bytes of the second upload were typed at the board
    let typed = -1;
    let pulledAt = -1;
    const session = await openLuaSession(first.transport, {
      onEvent: (e) => {
        if (e.type === "transfer-start" && e.size === fresh.length) typed = 0;
        if (e.type === "transfer-progress" && e.total === fresh.length) pulledAt = e.done;
        if (e.type !== "console" || e.direction !== "out" || typed < 0) return;
        typed += e.data.length;
        if (typed > 15_000 && !first.closed) {
          typed = -Infinity;
          first.hangUp();
        }
      },
    });
    await uploadFile(session, { name: "app.lua", data: old });
    const error = await uploadFile(session, { name: "app.lua", data: fresh }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isNodeflashError(error), String(error));
    assert.equal(error.code, "lua/upload-interrupted");
    assert.equal(error.details?.["causeCode"], "port/disconnected");
    const reached = error.details?.["reached"] as number;
    assert.ok(reached > 0 && reached >= pulledAt && reached < 15_000, `reached ${reached}`);
    assert.match(error.message, new RegExp(`app\\.lua .* stopped after ${reached} of 30000 bytes`));
    assert.match(error.hint ?? "", /still has its previous app\.lua/);
    session.close();
    await first.transport.close();

    assert.deepEqual(board.nodemcu?.fs?.read("app.lua"), old, "the old file is untouched");

    const second = connectSimLink(board);
    const again = await openLuaSession(second.transport);
    const done = await uploadFile(again, { name: "app.lua", data: fresh });
    assert.equal(done.size, fresh.length);
    assert.deepEqual(board.nodemcu?.fs?.read("app.lua"), fresh);
    assert.equal(board.nodemcu?.fs?.exists(UPLOAD_TEMP_NAME), false);
    again.close();
    await second.transport.close();
  } finally {
    await board.close();
  }
});
