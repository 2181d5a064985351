import assert from "node:assert/strict";
import { checkFileName, MAX_NAME_BYTES, UPLOAD_TEMP_NAME } from "./file_name.ts";

Deno.test("names: 31 bytes (UTF-8) at most, no control characters, not the upload's temporary name", () => {
  checkFileName("a".repeat(MAX_NAME_BYTES));
  checkFileName("lib/util.lua");
  assert.throws(() => checkFileName("a".repeat(32)), /32 bytes; NodeMCU keeps at most 31/);
  assert.throws(() => checkFileName("é".repeat(16)), /32 bytes/);
  assert.throws(() => checkFileName("a\tb"), /control character/);
  assert.throws(() => checkFileName(""), /empty/);
  assert.throws(() => checkFileName(UPLOAD_TEMP_NAME), /before renaming/);
  try {
    checkFileName("x".repeat(40), "src/x.lua");
  } catch (e) {
    assert.equal((e as { kind?: string }).kind, "user");
    assert.equal((e as { code?: string }).code, "lua/bad-name");
  }
});
