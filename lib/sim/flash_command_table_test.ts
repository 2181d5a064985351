import assert from "node:assert/strict";
import { dataStart, FLASH_COMMANDS } from "./flash_command_table.ts";

/** The W25Q32JV instruction set tables 1 (standard SPI) and 2 (dual/quad SPI). */
const STANDARD = [
  0x06,
  0x50,
  0x04,
  0xab,
  0x90,
  0x9f,
  0x4b,
  0x03,
  0x0b,
  0x02,
  0x20,
  0x52,
  0xd8,
  0xc7,
  0x60,
  0x05,
  0x01,
  0x35,
  0x31,
  0x15,
  0x11,
  0x5a,
  0x44,
  0x42,
  0x48,
  0x7e,
  0x98,
  0x3d,
  0x36,
  0x39,
  0x75,
  0x7a,
  0xb9,
  0x66,
  0x99,
];
const DUAL_QUAD = [0x3b, 0xbb, 0x92, 0x32, 0x6b, 0xeb, 0x94, 0x77, 0xe7, 0xe3];

Deno.test("command table: every opcode of the W25Q32 standard, dual and quad tables", () => {
  const missing = [...STANDARD, ...DUAL_QUAD].filter((op) => FLASH_COMMANDS[op] === undefined);
  assert.deepEqual(missing.map((op) => op.toString(16)), []);
  assert.equal(Object.keys(FLASH_COMMANDS).length, STANDARD.length + DUAL_QUAD.length);
  for (const qpi of [0x38, 0xff, 0xc0, 0x0c]) assert.equal(FLASH_COMMANDS[qpi], undefined);
});

Deno.test("command table: serialised layouts of the dual and quad I/O forms", () => {
  const start = (op: number) => dataStart(FLASH_COMMANDS[op]!);
  // 24 address bits, 8 mode bits, then the dummy clocks times the lines.
  assert.equal(start(0xbb), 32, "0xBB: A23..A0, M7..M0 on two lines, data at once");
  assert.equal(start(0x92), 32);
  assert.equal(start(0xeb), 48, "0xEB: four dummy clocks on four lines");
  assert.equal(start(0x94), 48);
  assert.equal(start(0xe7), 40, "0xE7: two dummy clocks on four lines");
  assert.equal(start(0xe3), 32, "0xE3: no dummy clocks");
  assert.equal(start(0x48), 32, "security register read: eight dummy clocks");
  assert.equal(start(0x77), 24, "set burst with wrap: 24 dummy bits, then W7..W0");
  assert.equal(start(0x3b), 32, "dual output: address and dummy on one line");
  for (const op of [0xbb, 0xeb, 0xe7, 0xe3]) assert.equal(FLASH_COMMANDS[op]!.modeBits, 8);
  assert.equal(FLASH_COMMANDS[0x32]!.lines, "1-1-4");
  assert.equal(FLASH_COMMANDS[0x32]!.data, "input");
});

Deno.test("command table: writes, programs and erases act on chip-select high", () => {
  const changing = [0x01, 0x31, 0x11, 0x02, 0x32, 0x20, 0x52, 0xd8, 0xc7, 0x60, 0x42, 0x44];
  for (const op of [...changing, 0x36, 0x39, 0x7e, 0x98, 0x75, 0x7a, 0x77, 0x66, 0x99]) {
    assert.notEqual(FLASH_COMMANDS[op]!.data, "output", op.toString(16));
  }
  for (const op of [0x9f, 0x90, 0x92, 0x94, 0xab, 0x4b, 0x5a, 0x48, 0x3d, 0x05, 0x35, 0x15]) {
    assert.equal(FLASH_COMMANDS[op]!.data, "output", op.toString(16));
  }
});
