/**
 * The three 256-byte security registers of a W25Q32-class flash (read 0x48, program 0x42, erase
 * 0x44). Register n answers at addresses n × 0x1000 (A15..A12 = n), A7..A0 selecting the byte;
 * other addresses select nothing (reads 0xFF, programs and erases are ignored). They are
 * non-volatile NOR like the array: erase sets all 256 bytes to 0xFF, a program clears bits only,
 * wraps inside the register and keeps only the last 256 bytes of a longer burst, and reading
 * wraps from byte 0xFF to byte 0x00. Locking (LB1..3) is the status registers' business; the chip
 * asks before calling {@link SecurityRegisters.program} or {@link SecurityRegisters.erase}.
 *
 * @module
 */

/** Bytes per security register. */
export const SECURITY_REGISTER_BYTES = 256;

/**
 * Which register an address selects.
 *
 * @param address the 24-bit address of the instruction
 * @returns 1..3, or undefined for any other address
 *
 * @example
 * ```ts
 * import { securityRegisterOf } from "./security_registers.ts";
 * import assert from "node:assert/strict";
 * assert.equal(securityRegisterOf(0x002010), 2);
 * assert.equal(securityRegisterOf(0x000010), undefined);
 * ```
 */
export function securityRegisterOf(address: number): 1 | 2 | 3 | undefined {
  if ((address & 0xff0f00) !== 0) return undefined;
  const n = (address >>> 12) & 0xf;
  return n === 1 || n === 2 || n === 3 ? n : undefined;
}

/**
 * The registers' contents.
 *
 * @example
 * ```ts
 * import { SecurityRegisters } from "./security_registers.ts";
 * import assert from "node:assert/strict";
 * const regs = new SecurityRegisters();
 * regs.program(0x1000 + 0xff, new Uint8Array([0x12, 0x34])); // wraps inside register 1
 * assert.equal(regs.read(0x1000 + 0xff, 0), 0x12);
 * assert.equal(regs.read(0x1000 + 0xff, 1), 0x34); // byte 0x00 of register 1
 * regs.erase(0x1000);
 * assert.equal(regs.read(0x1000, 0), 0xff);
 * ```
 */
export class SecurityRegisters {
  readonly #bytes = new Uint8Array(3 * SECURITY_REGISTER_BYTES).fill(0xff);

  /**
   * One byte of a 0x48 read.
   *
   * @param address the instruction's address
   * @param index bytes already read in the cycle
   * @returns the byte (0xFF when the address selects no register)
   */
  read(address: number, index: number): number {
    const base = this.#base(address);
    if (base === undefined) return 0xff;
    return this.#bytes[base + ((address + index) & 0xff)]!;
  }

  /**
   * A 0x42 program: new = old AND data, wrapping inside the register.
   *
   * @param address the instruction's address
   * @param data the bytes of the cycle (only the last 256 count)
   */
  program(address: number, data: Uint8Array): void {
    const base = this.#base(address);
    if (base === undefined) return;
    const bytes = data.length > SECURITY_REGISTER_BYTES
      ? data.subarray(data.length - SECURITY_REGISTER_BYTES)
      : data;
    bytes.forEach((b, i) => {
      const at = base + ((address + i) & 0xff);
      this.#bytes[at] = this.#bytes[at]! & b;
    });
  }

  /**
   * A 0x44 erase: the whole register to 0xFF.
   *
   * @param address any address inside the register
   */
  erase(address: number): void {
    const base = this.#base(address);
    if (base !== undefined) this.#bytes.fill(0xff, base, base + SECURITY_REGISTER_BYTES);
  }

  #base(address: number): number | undefined {
    const n = securityRegisterOf(address);
    return n === undefined ? undefined : (n - 1) * SECURITY_REGISTER_BYTES;
  }
}
