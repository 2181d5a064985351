/**
 * Connecting to a simulated board that is not in download mode: a board put there by hand
 * (ESP-01 style, `--before no-reset`), and one that never gets there.
 */

import assert from "node:assert/strict";
import { connect } from "../lib/flasher/connect.ts";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { isNodeflashError } from "../lib/errors.ts";
import { openSimTransport } from "../lib/sim/open_sim_transport.ts";

Deno.test("no-reset: the user is asked to enter download mode and nodeflash keeps trying", async () => {
  const t = await openSimTransport("sim://", { board: { bootMode: "flash" } });
  try {
    const events: FlashEvent[] = [];
    // the user holds FLASH and taps RESET a moment later
    const press = setTimeout(() => t.board.reset({ mode: "download" }), 1500);
    const session = await connect(t, {
      before: { kind: "no-reset" },
      manualTimeoutMs: 10_000,
      onEvent: (e) => events.push(e),
    });
    clearTimeout(press);
    assert.equal(session.kind, "rom");
    assert.ok(events.some((e) => e.type === "manual-boot"));
    const connected = events.find((e) => e.type === "connected");
    assert.ok(connected?.type === "connected" && connected.attempts > 1);
    session.conn.release();
  } finally {
    await t.close();
  }
});

Deno.test("no-reset: when the board never enters download mode the wait ends with a diagnosis", async () => {
  const t = await openSimTransport("sim://", { board: { bootMode: "flash" } });
  try {
    const started = performance.now();
    const error = await connect(t, { before: { kind: "no-reset" }, manualTimeoutMs: 800 }).then(
      () => undefined,
      (e) => e,
    );
    // nothing in flash: after its power-on message the board is silent, and no reset was tried
    assert.ok(isNodeflashError(error), String(error));
    assert.equal(error.code, "connect/no-response", error.message);
    assert.ok(performance.now() - started >= 800, "kept trying until the deadline");
    assert.match(error.hint ?? "", /hold FLASH \(GPIO0\) low, tap RESET/);
    assert.match(error.hint ?? "", /nodeflash ports/);
  } finally {
    await t.close();
  }
});
