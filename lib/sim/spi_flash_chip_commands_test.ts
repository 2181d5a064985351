/**
 * The commands of the W25Q32 table beyond esptool's probes, driven the way a host drives them:
 * through the ESP8266's SPI0 user-command registers (USER, USER1, USER2, ADDR, W0..W15, CMD).
 * Dual and quad phases go out serialised (flash_command_table.ts).
 */

import assert from "node:assert/strict";
import { NorFlash } from "./nor_flash.ts";
import { SPI0_BASE, SpiController } from "./spi_controller.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";

interface Cycle {
  /** Address phase value (address, or address << 8 | mode bits with `addressBits: 32`). */
  address?: number;
  addressBits?: number;
  dummy?: number;
  mosi?: number[];
  /** Bytes to read back. */
  read?: number;
}

/** One user command; returns the bytes the chip drove. */
function run(spi: SpiController, command: number, c: Cycle = {}): number[] {
  const mosi = c.mosi ?? [];
  const read = c.read ?? 0;
  const addressBits = c.addressBits ?? (c.address === undefined ? 0 : 24);
  let user = 1 << 31;
  let user1 = 0;
  if (addressBits > 0) {
    user |= 1 << 30;
    user1 |= (addressBits - 1) << 26;
    spi.write32(SPI0_BASE + 0x04, (c.address! * 2 ** (32 - addressBits)) >>> 0);
  }
  if ((c.dummy ?? 0) > 0) (user |= 1 << 29), (user1 |= c.dummy! - 1);
  if (mosi.length > 0) (user |= 1 << 27), (user1 |= (mosi.length * 8 - 1) << 17);
  if (read > 0) (user |= 1 << 28), (user1 |= (read * 8 - 1) << 8);
  for (let i = 0; i < mosi.length; i += 4) {
    const word = [0, 1, 2, 3].reduce((w, k) => w + (mosi[i + k] ?? 0) * 2 ** (8 * k), 0);
    spi.write32(SPI0_BASE + 0x40 + i, word);
  }
  spi.write32(SPI0_BASE + 0x20, user1 >>> 0);
  spi.write32(SPI0_BASE + 0x1c, user >>> 0);
  spi.write32(SPI0_BASE + 0x24, ((7 << 28) | command) >>> 0);
  spi.write32(SPI0_BASE, 1 << 18);
  return Array.from({ length: read }, (_, i) => {
    return (spi.read32(SPI0_BASE + 0x40 + (i & ~3)) >>> (8 * (i & 3))) & 0xff;
  });
}

function setup(status = 0) {
  const flash = new NorFlash(0x400000);
  const chip = new SpiFlashChip(flash, { jedecId: 0x1640ef, status });
  const spi = new SpiController(chip);
  const wren = () => run(spi, 0x06);
  const program = (address: number, bytes: number[], command = 0x02) => {
    wren();
    run(spi, command, { address, mosi: bytes });
  };
  return { flash, chip, spi, wren, program };
}

const pattern = (n: number, seed = 0) =>
  Array.from({ length: n }, (_, i) => (i * 37 + seed) & 0xff);

Deno.test("0x92 and 0x94 return the ids 0x90 returns, in the order address bit 0 asks", () => {
  const { spi } = setup();
  const ids = run(spi, 0x90, { address: 0, read: 4 });
  assert.deepEqual(ids, [0xef, 0x15, 0xef, 0x15]);
  const mode = 0xf0; // the data sheets ask for M7..4 = F
  assert.deepEqual(run(spi, 0x92, { address: mode, addressBits: 32, read: 4 }), ids);
  assert.deepEqual(run(spi, 0x94, { address: mode, addressBits: 32, dummy: 16, read: 4 }), ids);
  const swapped = run(spi, 0x94, { address: 0x100 | mode, addressBits: 32, dummy: 16, read: 2 });
  assert.deepEqual(swapped, [0x15, 0xef]);
  assert.notDeepEqual(run(spi, 0x94, { address: 0, dummy: 16, read: 2 }), [0xef, 0x15]);
});

Deno.test("0xBB, 0xEB, 0xE7 and 0xE3 read what 0x03 reads; a wrong dummy count shifts", () => {
  const { spi, program } = setup();
  program(0x123400, pattern(64));
  const plain = run(spi, 0x03, { address: 0x123400, read: 32 });
  assert.deepEqual(plain, pattern(32));
  const m = (a: number) => (a << 8) | 0xff; // address then M7..M0 = FF
  assert.deepEqual(run(spi, 0xbb, { address: m(0x123400), addressBits: 32, read: 32 }), plain);
  const eb = { address: m(0x123400), addressBits: 32, dummy: 16, read: 32 };
  assert.deepEqual(run(spi, 0xeb, eb), plain);
  const e7 = { address: m(0x123400), addressBits: 32, dummy: 8, read: 32 };
  assert.deepEqual(run(spi, 0xe7, e7), plain);
  assert.deepEqual(run(spi, 0xe3, { address: m(0x123400), addressBits: 32, read: 32 }), plain);
  const short = run(spi, 0xeb, { ...eb, dummy: 8 });
  assert.deepEqual(short.slice(1), plain.slice(0, 31), "single-line dummy habit: one byte late");
  assert.equal(short[0], 0xff);
});

Deno.test("continuous read mode: M5..4 = 10 drops the command byte until a mode-bit reset", () => {
  const { spi, program } = setup();
  program(0x020000, pattern(16, 5));
  const enter = { address: (0x020000 << 8) | 0x20, addressBits: 32, dummy: 16, read: 4 };
  const ids = () => run(spi, 0x9f, { read: 3 });
  assert.deepEqual(run(spi, 0xeb, enter), pattern(16, 5).slice(0, 4));
  // The next cycle has no command byte: the "command" phase carries A23..A16 (0x02).
  const next = run(spi, 0x02, {
    address: (0x0004 << 8) | 0x20,
    addressBits: 24,
    dummy: 16,
    read: 4,
  });
  assert.deepEqual(next, pattern(16, 5).slice(4, 8));
  run(spi, 0xff); // the mode-bit reset: too short to carry mode bits
  assert.deepEqual(ids(), [0xef, 0x40, 0x16]);
  run(spi, 0xeb, enter);
  assert.deepEqual(ids(), [0xff, 0xff, 0xff], "0x9F taken as an address; its M = FF ends it");
  assert.deepEqual(ids(), [0xef, 0x40, 0x16]);
  run(spi, 0xbb, { address: (0x020000 << 8) | 0x20, addressBits: 32, read: 1 });
  run(spi, 0x00, { address: 0x0000ff, addressBits: 24, read: 1 }); // M = FF: ends it
  assert.deepEqual(ids(), [0xef, 0x40, 0x16]);
  run(spi, 0xeb, { ...enter, address: (0x020000 << 8) | 0x30 });
  assert.deepEqual(ids(), [0xef, 0x40, 0x16], "M5..4 = 11: no continuous mode");
});

Deno.test("0x77 set burst with wrap: 0xEB wraps inside the window, 0x03 never does", () => {
  const { spi, program } = setup();
  program(0x000100, pattern(64));
  const eb = (address: number, read: number) =>
    run(spi, 0xeb, { address: (address << 8) | 0xff, addressBits: 32, dummy: 16, read });
  run(spi, 0x77, { dummy: 24, mosi: [0x00] }); // W4 = 0, W6..5 = 00: 8 bytes
  assert.deepEqual(eb(0x106, 4), [6, 7, 0, 1].map((i) => pattern(64)[i]));
  assert.deepEqual(run(spi, 0x03, { address: 0x106, read: 4 }), pattern(64).slice(6, 10));
  run(spi, 0x77, { dummy: 24, mosi: [0x60] }); // 64 bytes
  assert.deepEqual(eb(0x13e, 3), [62, 63, 0].map((i) => pattern(64)[i]));
  run(spi, 0x66);
  run(spi, 0x99);
  assert.deepEqual(eb(0x13e, 3), [...pattern(64).slice(62), 0xff], "reset: sequential again");
});

Deno.test("0x32 quad input page program: needs WREN, clears bits, like 0x02", () => {
  const { spi, flash, program } = setup();
  run(spi, 0x32, { address: 0x1000, mosi: [0x00] });
  assert.equal(flash.read(0x1000, 1)[0], 0xff, "no WREN: ignored");
  program(0x1000, [0xf0, 0x0f], 0x32);
  program(0x1000, [0x3c, 0xff], 0x32);
  assert.deepEqual(run(spi, 0x03, { address: 0x1000, read: 2 }), [0x30, 0x0f]);
  assert.equal(run(spi, 0x05, { read: 1 })[0]! & 2, 0, "WEL cleared");
});

Deno.test("security registers: program and read back, erase, WREN and the LB lock bits", () => {
  const { spi, wren } = setup();
  const read = (address: number, n: number) => run(spi, 0x48, { address, dummy: 8, read: n });
  assert.deepEqual(read(0x1000, 4), [0xff, 0xff, 0xff, 0xff], "erased at delivery");
  run(spi, 0x42, { address: 0x1000, mosi: [1, 2, 3, 4] });
  assert.deepEqual(read(0x1000, 4), [0xff, 0xff, 0xff, 0xff], "no WREN: ignored");
  for (const [n, base] of [[1, 0x1000], [2, 0x2000], [3, 0x3000]] as const) {
    wren();
    run(spi, 0x42, { address: base + 0xfe, mosi: [n, n + 1, n + 2, n + 3] });
  }
  assert.deepEqual(read(0x10fe, 4), [1, 2, 3, 4], "wraps from byte 0xFF to 0x00");
  assert.deepEqual(read(0x2000, 2), [4, 5]);
  assert.deepEqual(read(0x0000, 2), [0xff, 0xff], "no register at 0x000000");
  wren();
  run(spi, 0x44, { address: 0x2000 });
  assert.deepEqual(read(0x20fe, 4), [0xff, 0xff, 0xff, 0xff], "erased to 0xFF");
  assert.deepEqual(read(0x30fe, 2), [3, 4], "register 3 untouched");
  wren();
  run(spi, 0x31, { mosi: [0x08] }); // LB1: register 1 is locked for good
  wren();
  run(spi, 0x44, { address: 0x1000 });
  wren();
  run(spi, 0x42, { address: 0x1010, mosi: [0x00] });
  assert.deepEqual(read(0x10fe, 4), [1, 2, 3, 4], "a locked register refuses erases");
  assert.equal(read(0x1010, 1)[0], 0xff, "and programs");
  wren();
  run(spi, 0x44, { address: 0x3000 });
  assert.deepEqual(read(0x30fe, 2), [0xff, 0xff], "the other registers stay writable");
});

Deno.test("block locks: WPS = 1 guards the array by lock bits, all set at power-up", () => {
  const { spi, chip, flash, wren, program } = setup(0x04 << 16); // WPS
  const locked = (address: number) => run(spi, 0x3d, { address, read: 1 })[0]! & 1;
  program(0x200000, [0x00]);
  assert.equal(flash.read(0x200000, 1)[0], 0xff, "power-up: everything locked");
  assert.equal(locked(0x200000), 1);
  run(spi, 0x98);
  assert.equal(locked(0x200000), 1, "global unlock needs WREN");
  wren();
  run(spi, 0x98);
  program(0x200000, [0x00]);
  assert.equal(flash.read(0x200000, 1)[0], 0x00);
  wren();
  run(spi, 0x36, { address: 0x3ff000 }); // one sector of the top block
  assert.deepEqual([locked(0x3ff000), locked(0x3fe000)], [1, 0]);
  program(0x3fe000, [0x11]);
  program(0x3ff000, [0x22]);
  assert.deepEqual(flash.read(0x3fe000, 1)[0], 0x11);
  assert.deepEqual(flash.read(0x3ff000, 1)[0], 0xff, "locked sector refuses programs");
  wren();
  run(spi, 0xd8, { address: 0x3f0000 });
  assert.equal(flash.read(0x3fe000, 1)[0], 0x11, "64K erase over a locked sector refused");
  wren();
  run(spi, 0x7e);
  wren();
  run(spi, 0x39, { address: 0x120000 }); // a whole middle block
  assert.deepEqual([locked(0x12f000), locked(0x130000)], [0, 1]);
  chip.romWrite(0x12f000, new Uint8Array([0x33]));
  chip.romWrite(0x130000, new Uint8Array([0x33]));
  assert.deepEqual([flash.read(0x12f000, 1)[0], flash.read(0x130000, 1)[0]], [0x33, 0xff]);
  chip.powerCycle();
  assert.equal(locked(0x12f000), 1, "volatile: locked again after power-up");
  wren();
  run(spi, 0x11, { mosi: [0x00] }); // WPS = 0: BP/CMP protection (none) applies
  chip.romErase("chip");
  assert.equal(flash.isBlank(0, flash.size), true, "lock bits ignored while WPS = 0");
});

Deno.test("0x75/0x7A: suspend and resume find nothing in progress and lose nothing", () => {
  const { spi, flash, wren, program } = setup();
  program(0x8000, pattern(32));
  run(spi, 0x75);
  run(spi, 0x7a);
  assert.deepEqual(run(spi, 0x03, { address: 0x8000, read: 32 }), pattern(32));
  wren();
  run(spi, 0x75);
  run(spi, 0x7a);
  run(spi, 0x02, { address: 0x9000, mosi: [0x5a] });
  assert.equal(flash.read(0x9000, 1)[0], 0x5a, "the write-enable latch survived");
  assert.deepEqual(run(spi, 0x35, { read: 1 }), [0x00], "SUS reads 0");
  assert.deepEqual(run(spi, 0x03, { address: 0x8000, read: 32 }), pattern(32));
});

Deno.test("power-down silences the new commands too; release answers the device id", () => {
  const { spi, wren } = setup();
  wren();
  run(spi, 0x42, { address: 0x1000, mosi: [0x12] });
  run(spi, 0xb9);
  assert.deepEqual(run(spi, 0x48, { address: 0x1000, dummy: 8, read: 1 }), [0xff]);
  assert.deepEqual(run(spi, 0x94, { address: 0xf0, addressBits: 32, dummy: 16, read: 2 }), [
    0xff,
    0xff,
  ]);
  assert.deepEqual(run(spi, 0xab, { dummy: 24, read: 1 }), [0x15]);
  assert.deepEqual(run(spi, 0x48, { address: 0x1000, dummy: 8, read: 1 }), [0x12]);
});
