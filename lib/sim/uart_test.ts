import assert from "node:assert/strict";
import { dividerFor, SimUart } from "./uart.ts";

Deno.test("autobaud follows the host and gives esptool's 26 MHz estimate", () => {
  const uart = new SimUart();
  uart.autobaud();
  uart.fromHost(new Uint8Array([0x55]), 115200);
  assert.equal(uart.divider, 452);
  assert.equal(Math.round((115200 * uart.divider) / 1e6 / 2), 26);
  uart.fromHost(new Uint8Array([0x55]), 74880);
  assert.equal(uart.divider, dividerFor(52e6, 74880));
  assert.equal(Math.round((74880 * uart.divider) / 1e6 / 2), 26);
});

Deno.test("mismatched rates lose bytes both ways; matching rates and unknown host rates pass", () => {
  const toBoard: number[] = [];
  const toHost: number[] = [];
  const uart = new SimUart();
  uart.setReceiver((b) => toBoard.push(...b));
  uart.attachHost((b) => toHost.push(...b));
  uart.fixBaud();
  uart.setDivider(56); // 928571 baud, the legacy stub's rate for 921600
  uart.fromHost(new Uint8Array([1]), 115200);
  uart.setHostBaud(115200);
  uart.send(new Uint8Array([2]));
  assert.deepEqual([toBoard, toHost], [[], []]);
  assert.equal(uart.droppedBytes, 2);
  uart.fromHost(new Uint8Array([3]), 921600);
  uart.send(new Uint8Array([4]));
  uart.setHostBaud(undefined);
  uart.send(new Uint8Array([5]));
  assert.deepEqual([toBoard, toHost], [[3], [4, 5]]);
});

Deno.test("a mismatch handler can garble instead of dropping; detached hosts hear nothing", () => {
  const seen: string[] = [];
  const uart = new SimUart({
    mismatch: (bytes, info) => (seen.push(info.direction), bytes.map((b) => b ^ 0xff)),
  });
  const toHost: number[] = [];
  uart.attachHost((b) => toHost.push(...b));
  uart.setHostBaud(9600);
  uart.send(new Uint8Array([0x0f]));
  assert.deepEqual(toHost, [0xf0]);
  assert.deepEqual(seen, ["to-host"]);
  uart.attachHost(undefined);
  uart.setHostBaud(undefined);
  uart.send(new Uint8Array([1]));
  assert.deepEqual(toHost, [0xf0]);
});
