import assert from "node:assert/strict";
import { AddressSpace, MAGIC_REGISTER, UART_CLKDIV } from "./address_space.ts";
import { NorFlash } from "./nor_flash.ts";
import { SpiController } from "./spi_controller.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";
import { SimUart } from "./uart.ts";

function bus() {
  const uart = new SimUart();
  const spi = new SpiController(new SpiFlashChip(new NorFlash(0x100000), { jedecId: 0x1440ef }));
  return { uart, bus: new AddressSpace({ efuses: [0x11, 0x22, 0x33, 0x44], spi, uart }) };
}

Deno.test("bus: ROM and eFuses are read-only; UART_CLKDIV is the live divider", () => {
  const { bus: b, uart } = bus();
  assert.deepEqual([0x3ff00050, 0x3ff00054, 0x3ff00058, 0x3ff0005c].map((a) => b.read32(a)), [
    0x11,
    0x22,
    0x33,
    0x44,
  ]);
  b.write32(MAGIC_REGISTER, 0);
  b.write32(0x3ff00050, 0);
  assert.equal(b.read32(MAGIC_REGISTER), 0xfff0c101);
  assert.equal(b.read32(0x3ff00050), 0x11);
  b.write32(UART_CLKDIV, 56);
  assert.equal(uart.divider, 56);
  assert.equal(b.read32(UART_CLKDIV), 56);
});

Deno.test("bus: masked writes, unaligned addresses, byte writes inside and outside RAM", () => {
  const { bus: b } = bus();
  b.write32(0x3ffe8000, 0xaabbccdd);
  b.applyWrite({ address: 0x3ffe8000, value: 0x00001100, mask: 0x0000ff00, delayUs: 0 });
  assert.equal(b.read32(0x3ffe8002), 0xaabb11dd, "aligned down");
  b.writeBytes(0x60000100, new Uint8Array([1, 2, 3, 4, 5]));
  assert.equal(b.read32(0x60000100), 0x04030201);
  assert.equal(b.read32(0x60000104), 0x05);
  b.write32(0x80000000, 7);
  assert.equal(b.read32(0x80000000), 7, "plain registers above 0x80000000 too");
  b.reset();
  assert.equal(b.read32(0x3ffe8000), 0);
  assert.equal(b.read32(0x60000100), 0);
});
