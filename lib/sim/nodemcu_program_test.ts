import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";

const MB = 1 << 20;
const FW = buildNodemcuFirmware({
  totalSize: 0x30000,
  flashSize: "4MB",
  flashMode: "dio",
  banner: { version: "3.0.0.0", modules: ["file", "node", "tmr"], commit: "0123abcd" },
});
const crlf = (text: string) => text.replace(/\n/g, "\r\n");

/** A board booting `contents` with a tap at 115200 attached from its power-up on. */
function boot(contents: Uint8Array, options: BoardOptions = {}) {
  const board = new SimBoard({ flashContents: contents, ...options });
  const tap = new ConsoleTap(board);
  return { board, tap };
}

Deno.test("NodeMCU: first boot formats (a dot per 64 KB), prints the image's banner, then the prompt", async () => {
  const { board, tap } = boot(flashImage(4 * MB, FW.combined));
  try {
    const text = await tap.until("> ");
    // The file system spans the free flash after the firmware (0x30000) up to the RF
    // calibration sector of the header's 4 MB (size - 0x5000): one dot per 16 sectors.
    const sectors = (4 * MB - 0x5000 - 0x30000) / 0x1000;
    const dots = ".".repeat(Math.floor(sectors / 16));
    assert.equal(
      text,
      `Formatting file system. Please wait...\r\n${dots}` +
        `${crlf(FW.bannerText!)}\r\ncannot open init.lua: \r\n> `,
    );
    assert.equal(board.nodemcu?.fs?.list().size, 0);
    tap.clear();
    board.reset({ mode: "flash" });
    const again = await tap.until("> ");
    assert.doesNotMatch(again, /Formatting/, "the second boot mounts what the first formatted");
    assert.ok(again.endsWith(`${crlf(FW.bannerText!)}\r\ncannot open init.lua: \r\n> `));
  } finally {
    await board.close();
  }
});

Deno.test("NodeMCU: the REPL runs Lua; file writes survive node.restart() and a hard reset", async () => {
  const { board, tap } = boot(flashImage(4 * MB, FW.combined));
  try {
    await tap.until("> ");
    tap.clear();
    tap.type("print(6*7)\r\n");
    assert.equal(await tap.until(/> $/), "print(6*7)\r\n42\r\n> ");
    tap.clear();
    tap.type('f = file.open("notes.txt", "w") f:writeline("kept") f:close()\r\n');
    await tap.until(/> $/);
    tap.clear();
    tap.type("node.restart()\r\n");
    await tap.until("cannot open init.lua: \r\n> ");
    assert.equal(board.lastReset.kind, "software");
    tap.clear();
    tap.type('=file.open("notes.txt"):readline()\r\n');
    assert.match(
      await tap.until(/> $/),
      /^=file\.open\("notes\.txt"\):readline\(\)\r\nkept\r\n\r\n> $/,
    );
    board.reset({ mode: "flash" });
    tap.clear();
    await tap.until("> ");
    assert.deepEqual([...board.nodemcu!.fs!.list()], [["notes.txt", 5]]);
  } finally {
    await board.close();
  }
});

Deno.test("NodeMCU: the split build (0x00000.bin + 0x10000.bin) boots like the combined image", async () => {
  const [low, irom] = FW.parts;
  const { board, tap } = boot(
    flashImage(4 * MB, [[low.address, low.data], [irom.address, irom.data]]),
  );
  try {
    assert.ok((await tap.until("> ")).includes(crlf(FW.bannerText!)));
  } finally {
    await board.close();
  }
});

Deno.test("NodeMCU: the 0x00000 part without 0x10000.bin is a Fatal exception at the ROM's rate, again and again", async () => {
  const [low] = FW.parts;
  const board = new SimBoard({ flashContents: flashImage(4 * MB, [[low.address, low.data]]) });
  const rom = new ConsoleTap(board, { baud: 74880 });
  try {
    const fatal = "Fatal exception (0): \r\nepc1=0x40210000, epc2=0x00000000, epc3=0x00000000, " +
      "excvaddr=0x00000000, depc=0x00000000\r\n";
    await rom.until(fatal);
    rom.clear();
    const again = await rom.until(fatal);
    assert.match(
      again,
      /^\r\n ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)\r\n[^]*\r\ncsum 0x[0-9a-f]{2}\r\nFatal/,
      "the SDK's restart, the ROM loads the 0x00000 part again, and it crashes again",
    );
    assert.doesNotMatch(again, /system SPI FI size|SDK ver/, "the crash comes before any SDK line");
    assert.equal(board.nodemcu?.ready ?? false, false);
  } finally {
    await board.close();
  }
});

Deno.test("NodeMCU: older firmware spells init.lua and Lua errors the old way; no banner gets a generic one", async () => {
  const old = buildNodemcuFirmware({
    totalSize: 0x30000,
    flashSize: "4MB",
    banner: { version: "2.2.0.0" },
  });
  const a = boot(flashImage(4 * MB, old.combined));
  try {
    assert.ok(
      (await a.tap.until("> ")).endsWith(
        `${crlf(old.bannerText!)}\r\nlua: cannot open init.lua\r\n> `,
      ),
    );
    a.tap.clear();
    a.tap.type("nope()\r\n");
    // 2.x: the bare message and the traceback (as in nodemcu#891 and ESPlorer#60's transcripts).
    assert.equal(
      await a.tap.until(/> $/),
      "nope()\r\nstdin:1: attempt to call global 'nope' (a nil value)\r\n" +
        "stack traceback:\r\n\tstdin:1: in main chunk\r\n> ",
    );
  } finally {
    await a.board.close();
  }
  const bare = buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "4MB", banner: "none" });
  const b = boot(flashImage(4 * MB, bare.combined));
  try {
    assert.match(
      await b.tap.until("> "),
      /\r\nNodeMCU 3\.0\.0\.0 build unspecified powered by Lua [\d.]+ on SDK \S+\r\ncannot open init\.lua: \r\n> $/,
    );
  } finally {
    await b.board.close();
  }
});

Deno.test("NodeMCU: a header flash size larger than the chip cannot format", async () => {
  // A 4 MB header on a 1 MB chip: the file system area is not on the chip.
  const { board, tap } = boot(flashImage(MB, FW.combined), { flashSize: "1MB" });
  try {
    const text = await tap.until("> ");
    assert.match(
      text,
      /^Formatting file system\. Please wait\.\.\.\r\n\r\n\*\*\* ERROR \*\*\*: unable to format\. FS might be compromised\.\r\nIt is advised to re-flash the NodeMCU image\.\r\n\r\nNodeMCU 3\.0\.0\.0 /,
    );
    tap.clear();
    tap.type('=file.open("x", "w")\r\n');
    assert.equal(await tap.until(/> $/), '=file.open("x", "w")\r\nnil\r\n> ');
  } finally {
    await board.close();
  }
});

Deno.test("NodeMCU: init data: >= 2.0 writes it where the header's size says; older firmware reboots on rf_cal", async () => {
  // A 512 KB header on a 4 MB chip: the SDK looks at 0x7C000, not 0x3FC000.
  const small = buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "512KB" });
  const a = boot(flashImage(4 * MB, small.combined));
  try {
    await a.tap.until("> ");
    assert.equal(a.board.flash.read(0x7c000, 1)[0], 0x05);
    assert.ok(a.board.flash.isBlank(0x3fc000, 0x1000));
  } finally {
    await a.board.close();
  }
  const old = buildNodemcuFirmware({
    totalSize: 0x30000,
    flashSize: "4MB",
    banner: { version: "1.5.4.1" },
  });
  const b = new SimBoard({ flashContents: flashImage(4 * MB, old.combined), bootMode: "download" });
  const rom = new ConsoleTap(b, { baud: 74880 });
  try {
    b.reset({ mode: "flash" });
    const text = await rom.until(
      /rst cause:4, boot mode:\(3,6\)\r\n\r\nwdt reset\r\n[^]*rf_cal/,
      10_000,
    );
    assert.match(text, /csum 0x[0-9a-f]{2}\r\nrf_cal\[0\] !=0x05,is 0xFF\r\n/);
    assert.ok(b.flash.isBlank(0x3fc000, 0x1000), "old firmware does not repair it");
  } finally {
    await b.close();
  }
  const forced = boot(flashImage(4 * MB, old.combined), { firmwareWritesInitData: true });
  try {
    await forced.tap.until("> ");
    assert.equal(
      forced.board.flash.read(0x3fc000, 1)[0],
      0x05,
      "the board option overrides the rule",
    );
  } finally {
    await forced.board.close();
  }
});

Deno.test("NodeMCU: typing 8 characters during the format overflows the UART queue: Lua never starts", async () => {
  const { board, tap } = boot(
    flashImage(MB, buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "1MB" }).combined),
    {
      flashSize: "1MB",
      pace: "realtime",
      timing: { sectorEraseUs: 2000, bootMs: 20 },
    },
  );
  try {
    await tap.until("Please wait...");
    tap.type("12345678");
    await tap.until(/\.{12}/, 10_000);
    await board.idle();
    assert.doesNotMatch(tap.text, /NodeMCU|> /);
    assert.equal(board.nodemcu?.ready, false);
  } finally {
    await board.close();
  }
});
