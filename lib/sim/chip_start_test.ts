import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { SimBoard } from "./board.ts";
import { bootModeNumbers, ROM_BOOT_DIVIDER } from "./chip_start.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";
import { romFlashBoot } from "./rom_boot_log.ts";
import { garbleBaud } from "./uart_garble.ts";

const FW = buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "4MB" }).combined;

Deno.test("ROM messages at 74880 are the exact text; read at 115200 they are noise, not text", async () => {
  const board = new SimBoard({ flashContents: flashImage(4 << 20, FW), bootMode: "download" });
  const rom = new ConsoleTap(board, { baud: 74880 });
  try {
    board.reset({ mode: "flash" });
    const loads = romFlashBoot((a, n) => board.flash.read(a, n), { modeWorks: true }).text;
    const text = await rom.until(/csum 0x[0-9a-f]{2}\r\n/);
    const expected = `\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n${loads}`;
    assert.equal(text.slice(0, expected.length), expected);
    assert.match(text.slice(expected.length), /^system SPI FI size:4, Flash size: 4194304\r\n/);
    rom.clear();
    rom.setBaud(115200);
    board.reset({ mode: "flash" });
    await board.idle();
    const heard = rom.bytes;
    const header = new TextEncoder().encode(
      "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n",
    );
    const noise = garbleBaud(header, 52e6 / ROM_BOOT_DIVIDER, 115200);
    assert.deepEqual(heard.subarray(0, noise.length), noise, "what a 115200 UART decodes");
    assert.doesNotMatch(new TextDecoder("latin1").decode(heard), /ets Jan|rst cause|load 0x/);
    assert.match(rom.text, /cannot open init\.lua: \r\n> $/, "the console itself is clean");
  } finally {
    await board.close();
  }
});

Deno.test("ROM messages: download mode, power-on and watchdog causes; a 40 MHz crystal talks at 115200", async () => {
  const board = new SimBoard({ flashContents: flashImage(4 << 20, FW) });
  const tap = new ConsoleTap(board, { baud: 74880 });
  try {
    board.reset({ mode: "download" });
    assert.equal(
      await tap.until(/\r\n\r\n$/),
      "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n\r\n",
    );
    tap.clear();
    board.powerCycle();
    assert.match(
      await tap.until("csum"),
      /^\r\n ets Jan {2}8 2013,rst cause:1, boot mode:\(3,7\)\r\n\r\nload /,
    );
    await board.idle();
    tap.setBaud(115200);
    tap.type("while true do end\r\n");
    tap.setBaud(74880);
    tap.clear();
    assert.match(
      await tap.until("csum", 10_000),
      /\r\n ets Jan {2}8 2013,rst cause:4, boot mode:\(3,6\)\r\n\r\nwdt reset\r\nload /,
    );
    assert.equal(board.lastReset.kind, "watchdog");
  } finally {
    await board.close();
  }
  const fast = new SimBoard({ crystalMhz: 40, bootMode: "download" });
  const at115200 = new ConsoleTap(fast);
  try {
    fast.reset({ mode: "download" });
    assert.equal(
      await at115200.until(/\r\n\r\n$/),
      "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n\r\n",
    );
  } finally {
    await fast.close();
  }
});

Deno.test("bytes typed at the wrong rate reach the board garbled: the console never sees the line", async () => {
  const board = new SimBoard({ flashContents: flashImage(4 << 20, FW) });
  const tap = new ConsoleTap(board);
  try {
    await tap.until("> ");
    tap.setBaud(74880);
    tap.type("print(6*7)\r\n");
    tap.setBaud(115200);
    tap.type("\r\n");
    await board.idle();
    assert.doesNotMatch(tap.text.slice(tap.text.lastIndexOf("> ") - 20), /print\(6\*7\)|42/);
  } finally {
    await board.close();
  }
});

Deno.test("bootModeNumbers: (1,7) for download, (3,7) after power-on, (3,6) otherwise", () => {
  assert.deepEqual(bootModeNumbers({ cause: 2, kind: "external", mode: "download" }), [1, 7]);
  assert.deepEqual(bootModeNumbers({ cause: 1, kind: "power-on", mode: "flash" }), [3, 7]);
  assert.deepEqual(bootModeNumbers({ cause: 4, kind: "watchdog", mode: "flash" }), [3, 6]);
});

Deno.test("flash boot failures stop the chip: erased flash, a corrupt image, a mode the module cannot read", async () => {
  const cases: Array<[string, Uint8Array, Partial<{ module: "esp8285" | "esp-01s" }>, RegExp]> = [
    ["erased", new Uint8Array(0), {}, /boot mode:\(3,6\)\r\n\r\nets_main\.c $/],
    [
      "corrupt",
      FW.map((b, i) => (i === 0x200 ? b ^ 0x10 : b)),
      {},
      /csum 0x[0-9a-f]{2}\r\ncsum err\r\nets_main\.c $/,
    ],
    [
      "dio image on an ESP8285",
      buildNodemcuFirmware({ totalSize: 0x30000, flashMode: "dio" }).combined,
      { module: "esp8285" },
      /load 0x00000000, len 0, room 4 \r\n[^]*csum 0xef\r\ncsum err\r\nets_main\.c $/,
    ],
    [
      "qio image on an ESP-01S",
      buildNodemcuFirmware({ totalSize: 0x30000, flashMode: "qio" }).combined,
      { module: "esp-01s" },
      /csum err\r\nets_main\.c $/,
    ],
  ];
  for (const [name, image, options, expected] of cases) {
    const board = new SimBoard({
      flashContents: flashImage(1 << 20, image),
      flashSize: "1MB",
      ...options,
    });
    const rom = new ConsoleTap(board, { baud: 74880 });
    try {
      board.reset({ mode: "flash" });
      await board.idle();
      assert.match(rom.text, expected, name);
      assert.equal(board.state, "halted", name);
    } finally {
      await board.close();
    }
  }
  const dout = buildNodemcuFirmware({ totalSize: 0x30000, flashMode: "dout", flashSize: "1MB" });
  const esp8285 = new SimBoard({
    flashContents: flashImage(1 << 20, dout.combined),
    module: "esp8285",
  });
  const tap = new ConsoleTap(esp8285);
  try {
    await tap.until("> ");
    assert.equal(esp8285.state, "app", "dout boots on the ESP8285");
  } finally {
    await esp8285.close();
  }
});

Deno.test("an erased chip loses the file system: the next boot formats again", async () => {
  const board = new SimBoard({ flashContents: flashImage(4 << 20, FW) });
  const tap = new ConsoleTap(board);
  try {
    await tap.until("> ");
    tap.clear();
    tap.type('f = file.open("keep.txt", "w") f:write("x") f:close()\r\n');
    await tap.until(/> $/);
    assert.equal(board.nodemcu?.fs?.exists("keep.txt"), true);
    board.flash.eraseChip();
    board.flash.program(0, FW);
    tap.clear();
    board.reset({ mode: "flash" });
    assert.match(await tap.until("> "), /Formatting file system/);
    assert.equal(board.nodemcu?.fs?.exists("keep.txt"), false);
  } finally {
    await board.close();
  }
});
