import assert from "node:assert/strict";
import { NorFlash } from "./nor_flash.ts";
import { SPI0_BASE, SpiController } from "./spi_controller.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";

const USER = SPI0_BASE + 0x1c;
const USER1 = SPI0_BASE + 0x20;
const USER2 = SPI0_BASE + 0x24;
const ADDR = SPI0_BASE + 0x04;
const W0 = SPI0_BASE + 0x40;

/** The user-command register sequence of docs/protocol.md §6, written out by hand. */
function userCommand(
  spi: SpiController,
  cmd: number,
  o: { mosi?: number[]; readBits?: number; addr?: number; addrLen?: number; dummy?: number } = {},
): number {
  const mosiBits = (o.mosi?.length ?? 0) * 8;
  const readBits = o.readBits ?? 0;
  let user = 1 << 31;
  if (readBits > 0) user |= 1 << 28;
  if (mosiBits > 0) user |= 1 << 27;
  if ((o.addrLen ?? 0) > 0) user |= 1 << 30;
  if ((o.dummy ?? 0) > 0) user |= 1 << 29;
  let user1 = ((readBits > 0 ? readBits - 1 : 0) << 8) | ((mosiBits > 0 ? mosiBits - 1 : 0) << 17);
  if ((o.dummy ?? 0) > 0) user1 |= o.dummy! - 1;
  if ((o.addrLen ?? 0) > 0) user1 |= (o.addrLen! - 1) << 26;
  spi.write32(USER1, user1 >>> 0);
  spi.write32(USER, user >>> 0);
  spi.write32(USER2, ((7 << 28) | cmd) >>> 0);
  if ((o.addrLen ?? 0) > 0) spi.write32(ADDR, (o.addr! << (32 - o.addrLen!)) >>> 0);
  if (mosiBits === 0) spi.write32(W0, 0);
  else {
    const padded = [...o.mosi!, 0, 0, 0].slice(0, Math.ceil(o.mosi!.length / 4) * 4);
    for (let i = 0; i < padded.length; i += 4) {
      spi.write32(
        W0 + i,
        padded[i]! | (padded[i + 1]! << 8) | (padded[i + 2]! << 16) | (padded[i + 3]! << 24),
      );
    }
  }
  spi.write32(SPI0_BASE, 1 << 18);
  assert.equal(spi.read32(SPI0_BASE) & (1 << 18), 0, "CMD done at once");
  return spi.read32(W0);
}

function setup(size = 0x400000) {
  const flash = new NorFlash(size);
  const chip = new SpiFlashChip(flash, { jedecId: 0x1640ef });
  return { flash, chip, spi: new SpiController(chip) };
}

Deno.test("controller: RDID and SFDP the way esptool runs them", () => {
  const { spi } = setup();
  assert.equal(userCommand(spi, 0x9f, { readBits: 24 }), 0x1640ef);
  assert.equal(
    userCommand(spi, 0x5a, { readBits: 32, addr: 0, addrLen: 24, dummy: 8 }),
    0x50444653,
  );
  assert.equal(
    userCommand(spi, 0x5a, { readBits: 8, addr: 0x10, addrLen: 24, dummy: 8 }) & 0xff,
    0xff,
  );
  assert.equal(userCommand(spi, 0x66), 0);
  assert.equal(userCommand(spi, 0x99), 0);
});

Deno.test("controller: esptool's write_flash_status / read_flash_status sequence", () => {
  const { spi, chip } = setup();
  userCommand(spi, 0x50);
  userCommand(spi, 0x01, { mosi: [0x00, 0x02] });
  for (const [cmd, byte] of [[0x01, 0x00], [0x31, 0x02]] as const) {
    userCommand(spi, 0x50);
    userCommand(spi, cmd, { mosi: [byte] });
  }
  userCommand(spi, 0x04);
  const sr1 = userCommand(spi, 0x05, { readBits: 8 }) & 0xff;
  const sr2 = userCommand(spi, 0x35, { readBits: 8 }) & 0xff;
  assert.equal(sr1 | (sr2 << 8), 0x0200);
  assert.equal(chip.status, 0x0200);
});

Deno.test("controller: data read and page program through user commands", () => {
  const { spi, flash } = setup();
  flash.program(0x2000, new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
  assert.equal(userCommand(spi, 0x03, { readBits: 32, addr: 0x2000, addrLen: 24 }), 0xefbeadde);
  userCommand(spi, 0x06);
  userCommand(spi, 0x02, { mosi: [0x00, 0x30, 0x00, 0x11, 0x22] });
  assert.deepEqual(flash.read(0x3000, 2), new Uint8Array([0x11, 0x22]));
});

Deno.test("controller: built-in CMD bits (RDID, RDSR, WREN + SE, READ)", () => {
  const { spi, flash } = setup();
  spi.write32(SPI0_BASE, 1 << 28);
  assert.equal(spi.read32(W0) & 0xffffff, 0x1640ef);
  flash.program(0x5000, new Uint8Array([1, 2, 3, 4]));
  spi.write32(ADDR, (4 << 24) | 0x5000);
  spi.write32(SPI0_BASE, 1 << 31);
  assert.equal(spi.read32(W0), 0x04030201);
  spi.write32(SPI0_BASE, 1 << 30);
  spi.write32(SPI0_BASE, 1 << 27);
  assert.equal(spi.read32(SPI0_BASE + 0x10) & 2, 2, "RDSR shows WEL");
  spi.write32(ADDR, 0x5000);
  spi.write32(SPI0_BASE, 1 << 24);
  assert.equal(flash.isBlank(0x5000, 0x1000), true);
  spi.reset();
  assert.equal(spi.read32(USER), 0);
});
