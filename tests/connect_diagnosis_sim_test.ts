/**
 * Why a connection failed, against simulated boards that fail the way real ones do: a port where
 * nothing answers, a board that boots its firmware instead of the loader (GPIO0 never low at
 * reset, or no auto-reset circuit at all while NodeMCU runs), a noisy line. Also the retry budget
 * as the board sees it, and a sync on a line that loses some of the ROM's 8 replies.
 */

import assert from "node:assert/strict";
import { SlipDecoder } from "../lib/bytes/slip.ts";
import { isNodeflashError, type NodeflashError } from "../lib/errors.ts";
import { connect, type ConnectOptions } from "../lib/flasher/connect.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { flashImage } from "../lib/sim/console_tap.ts";
import type { BoardOptions } from "../lib/sim/board_options.ts";
import { openSimTransport } from "../lib/sim/open_sim_transport.ts";
import type { SimEvent } from "../lib/sim/sim_event.ts";
import { openTcp } from "../lib/transport/tcp.ts";
import type { Transport } from "../lib/transport/types.ts";

const MB = 1 << 20;
const NODEMCU = flashImage(
  4 * MB,
  buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB", flashMode: "dio" }).combined,
);

/** Connects and returns the error it must end with. */
async function failure(transport: Transport, options: ConnectOptions): Promise<NodeflashError> {
  const error = await connect(transport, options).then(
    (s) => {
      s.conn.release();
      return new Error("connected");
    },
    (e) => e,
  );
  assert.ok(isNodeflashError(error), String(error));
  return error;
}

/** Counts the SYNC requests in a byte stream the board (or a listener) received. */
class SyncCounter {
  readonly #decoder = new SlipDecoder();
  count = 0;

  push(bytes: Uint8Array): void {
    for (const e of this.#decoder.push(bytes)) {
      if (e.type === "frame" && e.data[0] === 0x00 && e.data[1] === 0x08) this.count++;
    }
  }
}

/** Opens a simulated board that records its events; with NodeMCU in flash when asked. */
async function board(options: BoardOptions, nodemcu = false) {
  const events: SimEvent[] = [];
  /** When each event happened (performance.now()). */
  const times: number[] = [];
  const t = await openSimTransport("sim://", {
    board: {
      ...(nodemcu ? { flashContents: NODEMCU } : {}),
      ...options,
      onEvent: (e) => {
        events.push(e);
        times.push(performance.now());
      },
    },
  });
  await t.board.idle();
  if (nodemcu) assert.equal(t.board.nodemcu?.ready, true, "NodeMCU is up at its prompt");
  const syncs = () => {
    const counter = new SyncCounter();
    for (const e of events) if (e.type === "rx") counter.push(e.bytes);
    return counter.count;
  };
  return { t, events, times, syncs };
}

Deno.test("nothing answers on a raw TCP port: no response, and the hint says the port has no reset lines", async () => {
  // a socket that takes everything and never says a word (a ser2net port with no board behind it)
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received = new SyncCounter();
  const serving = (async () => {
    for await (const conn of server) {
      for await (const chunk of conn.readable) received.push(chunk);
    }
  })();
  const t = await openTcp("127.0.0.1", server.addr.port);
  try {
    const e = await failure(t, { attempts: 1 });
    assert.equal(e.code, "connect/no-response", e.message);
    assert.match(e.message, /after 1 attempt$/);
    assert.match(e.hint ?? "", /no DTR\/RTS lines/);
    assert.match(e.hint ?? "", /hold FLASH, tap RESET/);
  } finally {
    await t.close();
    server.close();
    await serving.catch(() => {});
  }
  assert.equal(received.count, 5, "one attempt of 5 SYNCs reached the socket");
});

Deno.test("a board without the auto-reset circuit and nothing in flash: no response, hint for an ESP-01", async () => {
  const { t, events } = await board({ reset: "manual" });
  const started = events.length;
  try {
    const e = await failure(t, { attempts: 1 });
    assert.equal(e.code, "connect/no-response", e.message);
    assert.match(e.hint ?? "", /auto-reset/);
    assert.match(e.hint ?? "", /--before no-reset/);
    const during = events.slice(started);
    assert.ok(during.some((ev) => ev.type === "signals"), "the flasher did drive DTR/RTS");
    assert.ok(!during.some((ev) => ev.type === "boot"), "which reached nothing");
  } finally {
    await t.close();
  }
});

Deno.test("GPIO0 never low at reset: the boot log's (3,x) says the firmware booted; the hint is GPIO0 and auto-reset", async () => {
  // a devkit whose GPIO0 transistor does nothing: EN resets the chip, GPIO0 stays high
  const { t, events } = await board({ faults: "stuck-gpio0" }, true);
  try {
    const e = await failure(t, { attempts: 1 });
    assert.equal(e.code, "connect/booted-firmware", e.message);
    assert.match(e.message, /boot mode:\(3,\d\)/);
    assert.match(e.hint ?? "", /Hold FLASH \(GPIO0\) low/);
    assert.match(e.hint ?? "", /auto-reset circuit/);
    assert.equal(e.details?.bootMode, 3);
    const boots = events.filter((ev) => ev.type === "boot");
    assert.ok(boots.length >= 2, "power-on, then the resets");
    assert.ok(boots.every((ev) => ev.type === "boot" && ev.mode === "flash"));
  } finally {
    await t.close();
  }
});

Deno.test("GPIO15 pulled high: the ROM starts in SDIO mode (5,x) and waits for a host; the hint is GPIO15", async () => {
  const { t, syncs } = await board({ gpio15High: true, flashContents: NODEMCU });
  try {
    const e = await failure(t, { attempts: 1 });
    assert.equal(e.code, "connect/gpio15-high", e.message);
    assert.match(e.message, /boot mode:\(5,\d\)/);
    assert.match(e.hint ?? "", /GPIO15 must be pulled low/);
    assert.ok(syncs() > 0, "SYNCs were sent, and the chip never answered them");
  } finally {
    await t.close();
  }
});

Deno.test("no auto-reset while NodeMCU runs: its console echoes the SYNCs: booted firmware, hold GPIO0 low", async () => {
  const { t, events, syncs } = await board({ reset: "manual" }, true);
  const started = events.length;
  try {
    const e = await failure(t, { attempts: 1 });
    assert.equal(e.code, "connect/booted-firmware", e.message);
    assert.match(e.message, /console is listening, not the bootloader/);
    assert.match(e.hint ?? "", /hold FLASH \(GPIO0\) low, tap RESET/);
    assert.match(e.hint ?? "", /--before no-reset/);
    assert.equal(e.details?.echoes, syncs(), "every SYNC the console got came back");
    assert.equal(syncs(), 5);
    assert.ok(!events.slice(started).some((ev) => ev.type === "boot"), "the lines reset nothing");
  } finally {
    await t.close();
  }
});

Deno.test("a noisy line: unreadable bytes, and the hint names the cable and the baud rate", async () => {
  const { t, events } = await board({ faults: "corrupt=0.3" });
  try {
    const e = await failure(t, { attempts: 1 });
    assert.equal(e.code, "connect/garbage", e.message);
    assert.match(e.hint ?? "", /cable/);
    assert.match(e.hint ?? "", /baud/);
    const unreadable = e.details?.unreadableBytes;
    assert.ok(typeof unreadable === "number" && unreadable > 0);
    assert.ok(events.some((ev) => ev.type === "injected" && ev.fault === "corrupt"));
  } finally {
    await t.close();
  }
});

Deno.test("retry budget: each attempt is one reset and 5 SYNCs, esptool's GPIO0 hold times alternate", async () => {
  const { t, events, times } = await board({ faults: "stuck-gpio0" });
  const started = events.length;
  let e: NodeflashError;
  try {
    e = await failure(t, { attempts: 3 });
  } finally {
    await t.close();
  }
  assert.equal(e.code, "connect/booted-firmware", e.message);
  assert.equal(e.details?.attempts, 3);
  // SYNCs the board received after each time EN was pulled low (RTS asserted)
  const perReset: number[] = [];
  const counter = new SyncCounter();
  let rts = false;
  for (const ev of events.slice(started)) {
    if (ev.type === "signals") {
      if (ev.rts && !rts) perReset.push(0);
      rts = ev.rts;
    }
    if (ev.type === "rx" && perReset.length > 0) {
      const before = counter.count;
      counter.push(ev.bytes);
      perReset[perReset.length - 1]! += counter.count - before;
    }
  }
  // three attempts, then the diagnosis's reset to read the boot log (no SYNC after it)
  assert.deepEqual(perReset, [5, 5, 5, 0]);
  // GPIO0 (DTR) held low for 50 ms, 550 ms, 50 ms (classic reset, both delays, cycled)
  const holds: number[] = [];
  let dtrSince: number | undefined;
  for (let i = started; i < events.length; i++) {
    const event = events[i]!;
    const at = times[i]!;
    if (event.type !== "signals") continue;
    if (event.dtr && dtrSince === undefined) dtrSince = at;
    if (!event.dtr && dtrSince !== undefined) {
      holds.push(at - dtrSince);
      dtrSince = undefined;
    }
  }
  assert.equal(holds.length, 4, `holds ${holds}`);
  const [a, b, c] = holds as [number, number, number];
  // Lower bounds only (a loaded machine stretches sleeps, never shortens them), and at least one
  // of the short holds really was short: the two strategies alternate.
  assert.ok(a >= 40, `first hold ${a} ms`);
  assert.ok(b >= 500, `second hold ${b} ms`);
  assert.ok(c >= 40, `third hold ${c} ms`);
  assert.ok(Math.min(a, c) < 500, `a short hold among ${holds}`);
});

Deno.test("a lossy line: a sync with fewer than the ROM's 8 replies still connects", async () => {
  // seed 21 with drop=0.1 loses SYNC replies on the way to the host and nothing after them
  const { t, events } = await board({ bootMode: "download", seed: 21, faults: "drop=0.1" });
  try {
    const session = await connect(t, { before: { kind: "no-reset" }, attempts: 1 });
    assert.equal(session.kind, "rom");
    session.conn.release();
  } finally {
    await t.close();
  }
  const commands = events.flatMap((e) => e.type === "command" ? [e.record.name] : []);
  assert.equal(commands.filter((n) => n === "SYNC").length, 1, "one SYNC was enough");
  const firstAfterSync = events.findIndex((e) => e.type === "command" && e.record.name !== "SYNC");
  const lost = events.slice(0, firstAfterSync).filter((e) =>
    e.type === "injected" && e.fault === "drop" && e.detail.includes("to-host")
  );
  const lostLater = events.slice(firstAfterSync).filter((e) => e.type === "injected");
  assert.ok(lost.length >= 1 && lost.length < 8, `${lost.length} of 8 replies lost`);
  assert.equal(lostLater.length, 0, "the seed loses nothing after the sync");
});
