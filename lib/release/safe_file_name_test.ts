import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { safeFileName } from "./safe_file_name.ts";

Deno.test("safeFileName accepts ordinary firmware names unchanged", () => {
  for (const name of ["nodemcu-release-13-modules-2024-02-25-float.bin", "fw_1.2.3.bin", "ß.bin"]) {
    assert.equal(safeFileName(name), name);
  }
});

Deno.test("safeFileName refuses hostile and unportable names", () => {
  const hostile: Array<[string, RegExp]> = [
    ["../../etc/passwd", /separator/],
    ["/etc/passwd", /separator/],
    ["..\\..\\windows\\system32", /separator/],
    ["C:evil.bin", /reserved character/],
    ["fw.bin\u0000.txt", /control character/],
    ["fw\n.bin", /control character/],
    ["..", /directory/],
    [".", /directory/],
    ["", /empty/],
    [".bashrc", /starts with a dot/],
    ["fw.bin.", /ends with a dot/],
    ["fw.bin ", /ends with a dot or a space/],
    ["CON", /reserved device/],
    ["nul.bin", /reserved device/],
    ["a|b.bin", /reserved character/],
    ["é".repeat(128) + ".bin", /longer than 255 bytes/],
  ];
  for (const [name, why] of hostile) {
    assert.throws(() => safeFileName(name), (e) => {
      assert.ok(isNodeflashError(e), name);
      assert.equal(e.code, "release/unsafe-asset-name");
      assert.equal(e.kind, "user");
      assert.match(e.message, why, name);
      assert.ok(!e.message.includes("\u0000"), "the message does not carry the NUL");
      assert.match(e.hint ?? "", /fileName/);
      return true;
    });
  }
});
