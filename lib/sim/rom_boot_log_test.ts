import assert from "node:assert/strict";
import { buildImage } from "../testing/build_image.ts";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { fillerBytes } from "../testing/filler_bytes.ts";
import { parseImage } from "../image/parse_image.ts";
import { romFlashBoot, romHeader } from "./rom_boot_log.ts";

function reader(image: Uint8Array, size = 0x100000) {
  const flash = new Uint8Array(size).fill(0xff);
  flash.set(image);
  return (address: number, length: number) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = flash[(address + i) % size]!;
    return out;
  };
}

/** The transcript with every checksum value replaced by `..` (they depend on the data). */
const shape = (text: string) => text.replace(/(chksum|csum) 0x[0-9a-f]{2}/g, "$1 ..");

Deno.test("romHeader: the ROM's first line, byte for byte, with `wdt reset` after a watchdog reset", () => {
  assert.equal(romHeader(1, [3, 7]), "\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,7)\r\n\r\n");
  assert.equal(
    romHeader(4, [3, 6]),
    "\r\n ets Jan  8 2013,rst cause:4, boot mode:(3,6)\r\n\r\nwdt reset\r\n",
  );
});

Deno.test("romFlashBoot: a NodeMCU-shaped image prints the load/tail/ho lines of nodemcu-firmware#3131", () => {
  const fw = buildNodemcuFirmware({ totalSize: 0x20000 });
  const log = romFlashBoot(reader(fw.combined), { modeWorks: true });
  assert.equal(log.result, "run");
  assert.equal(log.entry, 0x40100004);
  // Same segment lengths as the transcript (27444, 2560, 8): same room/tail/ho lines.
  assert.equal(
    shape(log.text),
    "load 0x40100000, len 27444, room 16 \r\ntail 4\r\nchksum ..\r\n" +
      "load 0x3ffe8000, len 2560, room 4 \r\ntail 12\r\nchksum ..\r\nho 0 tail 12 room 4\r\n" +
      "load 0x3ffe8a00, len 8, room 12 \r\ntail 8\r\nchksum ..\r\ncsum ..\r\n",
  );
  const image = parseImage(fw.combined);
  const sums = [...log.text.matchAll(/chksum 0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16));
  let running = 0xef;
  image.segments.forEach((s, i) => {
    for (const b of s.data) running ^= b;
    assert.equal(sums[i], running, `running checksum after segment ${i}`);
  });
  assert.match(log.text, new RegExp(`csum 0x${running.toString(16).padStart(2, "0")}\\r\\n$`));
});

Deno.test("romFlashBoot: other segment lengths give the room/tail sequences of other transcripts", () => {
  // esp8266/Arduino#435: 28780, 1580, 36588 -> room 16/12/8, tail 12/0/4, one `ho` line.
  const a = buildImage({
    segments: [28780, 1580, 36588].map((n, i) => ({
      address: 0x3ffe8000 + i,
      data: fillerBytes(n, i),
    })),
  });
  const lines = romFlashBoot(reader(a), { modeWorks: true }).text.split("\r\n");
  assert.deepEqual(
    lines.filter((l) => /^(load|tail|ho)/.test(l)).map((l) => l.replace(/load 0x\w+, /, "")),
    [
      "len 28780, room 16 ",
      "tail 12",
      "ho 0 tail 12 room 4",
      "len 1580, room 12 ",
      "tail 0",
      "len 36588, room 8 ",
      "tail 4",
    ],
  );
  // ESP8266_NONOS_SDK#212: 856 then 236 -> room 16 then room 0, tail 8 then 12.
  const b = buildImage({
    segments: [{ address: 0x40100000, data: fillerBytes(856, 1) }, {
      address: 0x3ffe8000,
      data: fillerBytes(236, 2),
    }],
  });
  assert.match(
    romFlashBoot(reader(b), { modeWorks: true }).text,
    /len 856, room 16 \r\ntail 8\r\n.*\r\nload 0x3ffe8000, len 236, room 0 \r\ntail 12\r\n/s,
  );
});

Deno.test("romFlashBoot: erased flash, a corrupt image, and a flash mode the module cannot read", () => {
  assert.deepEqual(romFlashBoot(reader(new Uint8Array(0)), { modeWorks: true }), {
    text: "ets_main.c ",
    result: "stop",
  });
  const fw = buildNodemcuFirmware({ totalSize: 0x20000 }).combined;
  const bad = fw.slice();
  bad[0x100] = bad[0x100]! ^ 0x01;
  const corrupt = romFlashBoot(reader(bad), { modeWorks: true });
  assert.equal(corrupt.result, "stop");
  assert.match(corrupt.text, /csum 0x[0-9a-f]{2}\r\ncsum err\r\nets_main\.c $/);
  // Wrong mode: the first segment header is read right, everything after it as zeros (#309).
  const wrong = romFlashBoot(reader(fw), { modeWorks: false });
  assert.equal(wrong.result, "stop");
  assert.equal(
    wrong.text,
    "load 0x40100000, len 27444, room 16 \r\ntail 4\r\nchksum 0xef\r\n" +
      "load 0x00000000, len 0, room 4 \r\ntail 0\r\nchksum 0xef\r\nho 0 tail 0 room 4\r\n" +
      "load 0x00000000, len 0, room 12 \r\ntail 0\r\nchksum 0xef\r\ncsum 0xef\r\ncsum err\r\nets_main.c ",
  );
});
