import assert from "node:assert/strict";
import { dividerFor, SimUart } from "./uart.ts";
import { garbleBaud } from "./uart_garble.ts";

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

Deno.test("mismatched rates garble bytes both ways at the bit level; matching and unknown host rates pass", () => {
  const toBoard: number[] = [];
  const toHost: number[] = [];
  const uart = new SimUart();
  uart.setReceiver((b) => toBoard.push(...b));
  uart.attachHost((b) => toHost.push(...b));
  uart.fixBaud();
  uart.setDivider(56); // 928571 baud, the legacy stub's rate for 921600
  const text = new TextEncoder().encode("print(1)");
  uart.fromHost(text, 115200);
  assert.deepEqual(toBoard, [...garbleBaud(text, 115200, 52e6 / 56)]);
  assert.notDeepEqual(toBoard, [...text]);
  uart.setHostBaud(115200);
  uart.send(text);
  assert.deepEqual(toHost, [...garbleBaud(text, 52e6 / 56, 115200)]);
  assert.equal(uart.mismatchedBytes, 2 * text.length);
  toBoard.length = 0;
  toHost.length = 0;
  uart.fromHost(new Uint8Array([3]), 921600);
  uart.send(new Uint8Array([4]));
  uart.setHostBaud(undefined);
  uart.send(new Uint8Array([5]));
  assert.deepEqual([toBoard, toHost], [[3], [4, 5]]);
});

Deno.test("a mismatch handler can replace the bit-level model; detached hosts hear nothing", () => {
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

Deno.test("autobaud locks only up to its limit: a faster host is not measured and arrives garbled", () => {
  const toBoard: number[] = [];
  const uart = new SimUart({ autobaudMaxBaud: 115200 });
  uart.setReceiver((b) => toBoard.push(...b));
  uart.autobaud(460800);
  assert.equal(uart.divider, dividerFor(52e6, 115200), "the ROM keeps assuming 115200");
  const sync = new Uint8Array([0xc0, 0x00, 0x08, 0x24, 0x00, 0x55, 0x55, 0xc0]);
  uart.fromHost(sync, 460800);
  assert.notDeepEqual(toBoard, [...sync]);
  toBoard.length = 0;
  uart.fromHost(sync, 115200);
  assert.deepEqual(toBoard, [...sync]);
  const fast = new SimUart();
  fast.autobaud(921600);
  assert.equal(fast.divider, dividerFor(52e6, 921600), "921600 locks by default");
  fast.fromHost(sync, 1_500_000);
  assert.equal(fast.divider, dividerFor(52e6, 921600), "nothing above 921600 does");
});
