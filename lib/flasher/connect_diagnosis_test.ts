import assert from "node:assert/strict";
import { Connection } from "../protocol/connection.ts";
import { classicReset, parseResetSequence } from "../protocol/reset_sequence.ts";
import { createMemoryLink } from "../transport/memory.ts";
import { diagnoseNoSync, type DiagnoseOptions } from "./connect_diagnosis.ts";

const text = (s: string) => new TextEncoder().encode(s);
const bootLine = (mode: string, cause = 2) =>
  text(`\r\n ets Jan  8 2013,rst cause:${cause}, boot mode:(${mode})\r\n\r\n`);
const noSleep = () => Promise.resolve();

/** Diagnoses over a port without modem lines (no extra reset to read the boot log). */
async function diagnose(options: Partial<DiagnoseOptions>) {
  const link = createMemoryLink({ receive: () => {} }, { url: "memory:a", modemLines: false });
  try {
    return await diagnoseNoSync(new Connection(link.transport), {
      seen: [],
      attempts: 3,
      strategies: [undefined],
      sleep: noSleep,
      ...options,
    });
  } finally {
    await link.transport.close();
  }
}

Deno.test("diagnosis: nothing seen is no response, and the hint names port, power and download mode", async () => {
  const e = await diagnose({});
  assert.equal(e.code, "connect/no-response");
  assert.equal(e.kind, "device");
  assert.match(e.message, /memory:a after 3 attempts/);
  assert.match(e.hint ?? "", /no DTR\/RTS lines/);
  assert.match(e.hint ?? "", /powered/);
  assert.match(e.hint ?? "", /hold FLASH/);
  assert.match(e.hint ?? "", / See docs\/troubleshooting\.md#connect-no-response\.$/);
  assert.deepEqual(e.details, { attempts: 3 });
});

Deno.test("diagnosis: boot mode (3,x) in the log is the firmware booted instead of the loader", async () => {
  const e = await diagnose({ seen: [text("garbage \x8c\x0e"), bootLine("3,6")] });
  assert.equal(e.code, "connect/booted-firmware");
  assert.match(e.message, /boot mode:\(3,6\)/);
  assert.match(e.hint ?? "", /GPIO0/);
  assert.match(e.hint ?? "", /auto-reset circuit/);
  assert.deepEqual(e.details, { rstCause: 2, bootMode: 3, attempts: 3 });
});

Deno.test("diagnosis: the last boot line decides", async () => {
  const e = await diagnose({ seen: [bootLine("3,7", 1), bootLine("1,6")] });
  assert.equal(e.code, "connect/no-sync");
  assert.match(e.message, /download mode \(boot mode:\(1,6\)\)/);
  assert.match(e.hint ?? "", /RX\) line/);
});

Deno.test("diagnosis: GPIO15 high and invalid strapping", async () => {
  const sdio = await diagnose({ seen: [bootLine("7,6")] });
  assert.equal(sdio.code, "connect/gpio15-high");
  assert.match(sdio.hint ?? "", /GPIO15/);
  const invalid = await diagnose({ seen: [bootLine("2,6")] });
  assert.equal(invalid.code, "connect/bad-strapping");
  assert.deepEqual(invalid.details, { bootMode: 2, attempts: 3 });
});

Deno.test("diagnosis: echoed SYNC requests mean the firmware's console is listening", async () => {
  const e = await diagnose({ echoes: 15 });
  assert.equal(e.code, "connect/booted-firmware");
  assert.match(e.message, /echoed 15 SYNC requests back after 3 attempts/);
  assert.match(e.hint ?? "", /hold FLASH \(GPIO0\) low, tap RESET/);
  assert.deepEqual(e.details, { echoes: 15, attempts: 3 });
  // a boot line says more than the echo, so it wins
  const both = await diagnose({ echoes: 15, seen: [bootLine("1,7")] });
  assert.equal(both.code, "connect/no-sync");
});

Deno.test("diagnosis: unreadable bytes are noise or a wrong baud rate", async () => {
  const e = await diagnose({ seen: [new Uint8Array([0x8c, 0x0e, 0xf2]), new Uint8Array([0x72])] });
  assert.equal(e.code, "connect/garbage");
  assert.match(e.message, /sent 4 unreadable bytes/);
  assert.match(e.hint ?? "", /cable/);
  assert.match(e.hint ?? "", /baud/);
  assert.deepEqual(e.details, { unreadableBytes: 4, attempts: 3 });
});

Deno.test("diagnosis: with modem lines and no boot line seen, one more reset is read at 74880 baud", async () => {
  const rates: number[] = [];
  let hostBaud = 115200;
  let enLow = false;
  const link = createMemoryLink({
    receive: () => {},
    setBaudRate: (baud) => {
      hostBaud = baud;
      rates.push(baud);
    },
    setSignals: ({ rts }) => {
      // EN released: the ROM prints its line at 74880; a host at another rate reads noise
      if (enLow && !rts) {
        link.deliver(hostBaud === 74880 ? bootLine("3,6") : new Uint8Array([0x8c, 0x0e]));
      }
      enLow = rts;
    },
  }, { url: "memory:b", modemLines: true });
  const conn = new Connection(link.transport);
  const e = await diagnoseNoSync(conn, {
    seen: [new Uint8Array([0x8c, 0x0e, 0x72])],
    attempts: 1,
    strategies: [parseResetSequence(classicReset(0.05))],
    sleep: noSleep,
  });
  assert.equal(e.code, "connect/booted-firmware");
  assert.deepEqual(rates, [74880, 115200], "read at the ROM's rate, then back");
  assert.equal(link.transport.baudRate, 115200);
  await link.transport.close();
});

Deno.test("diagnosis: no reset was tried on a port with modem lines: the hint is about doing it by hand", async () => {
  let signals = 0;
  const link = createMemoryLink({ receive: () => {}, setSignals: () => signals++ }, {
    modemLines: true,
  });
  const e = await diagnoseNoSync(new Connection(link.transport), {
    seen: [],
    attempts: 1,
    strategies: [undefined],
    sleep: noSleep,
  });
  assert.equal(e.code, "connect/no-response");
  assert.equal(signals, 0, "no reset without a reset strategy");
  assert.match(e.hint ?? "", /hold FLASH \(GPIO0\) low, tap RESET/);
  assert.match(e.hint ?? "", /nodeflash ports/);
  await link.transport.close();
});
