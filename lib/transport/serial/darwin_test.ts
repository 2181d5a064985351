import assert from "node:assert/strict";
import { DARWIN_CONSTANTS, darwinIoctlConvention } from "./darwin.ts";

function io(dir: "r" | "w" | "none", group: string, num: number, size: number): bigint {
  const d = dir === "r" ? 0x40000000 : dir === "w" ? 0x80000000 : 0x20000000;
  return BigInt((d | (size << 16) | (group.charCodeAt(0) << 8) | num) >>> 0);
}

Deno.test("darwin: modem and exclusive-open ioctls follow the BSD encoding", () => {
  assert.equal(DARWIN_CONSTANTS.tiocmget, io("r", "t", 106, 4));
  assert.equal(DARWIN_CONSTANTS.tiocmset, io("w", "t", 109, 4));
  assert.equal(DARWIN_CONSTANTS.tiocexcl, io("none", "t", 13, 0));
  assert.equal(DARWIN_CONSTANTS.tiocnxcl, io("none", "t", 14, 0));
  assert.equal(DARWIN_CONSTANTS.errno.EAGAIN, 35);
  assert.equal(DARWIN_CONSTANTS.tciflush, 1);
});

Deno.test("darwin: the pointer of a variadic ioctl goes on the stack on arm64 only", () => {
  assert.equal(darwinIoctlConvention("aarch64"), "stack");
  assert.equal(darwinIoctlConvention("x86_64"), "register");
});
