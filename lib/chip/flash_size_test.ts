import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import {
  FLASH_FREQS,
  FLASH_MODES,
  FLASH_SIZES,
  flashFreqFromCode,
  flashModeFromCode,
  flashSizeFromHeaderCode,
  parseFlashFreq,
  parseFlashMode,
  parseFlashSize,
  parseFlashSizeSetting,
} from "./flash_size.ts";

Deno.test("the size table matches the header codes of protocol.md §11.1", () => {
  const codes = Object.fromEntries(FLASH_SIZES.map((r) => [r.name, [r.headerCode, r.bytes]]));
  assert.deepEqual(codes, {
    "256KB": [0x1, 0x40000],
    "512KB": [0x0, 0x80000],
    "1MB": [0x2, 0x100000],
    "2MB": [0x3, 0x200000],
    "4MB": [0x4, 0x400000],
    "2MB-c1": [0x5, 0x200000],
    "4MB-c1": [0x6, 0x400000],
    "8MB": [0x8, 0x800000],
    "16MB": [0x9, 0x1000000],
  });
  assert.equal(new Set(FLASH_SIZES.map((r) => r.headerCode)).size, FLASH_SIZES.length);
  assert.ok(Object.isFrozen(FLASH_SIZES));
});

Deno.test("parseFlashSize reads canonical, byte-style and megabit spellings", () => {
  const cases: Array<[string, string]> = [
    ["512KB", "512KB"],
    ["512kb", "512KB"],
    ["512K", "512KB"],
    ["512KiB", "512KB"],
    ["256KB", "256KB"],
    ["1MB", "1MB"],
    ["1M", "1MB"],
    ["1mib", "1MB"],
    ["4mb", "4MB"],
    ["4MiB", "4MB"],
    ["4MB", "4MB"],
    ["2MB-c1", "2MB-c1"],
    ["4mb-C1", "4MB-c1"],
    ["8MB", "8MB"],
    ["16MB", "16MB"],
    [" 16mb ", "16MB"],
    ["2m", "256KB"],
    ["4m", "512KB"],
    ["8m", "1MB"],
    ["16m", "2MB"],
    ["32m", "4MB"],
    ["16m-c1", "2MB-c1"],
    ["32m-c1", "4MB-c1"],
    ["32M", "4MB"],
  ];
  for (const [text, name] of cases) assert.equal(parseFlashSize(text).name, name, text);
});

Deno.test("parseFlashSize reports megabit names through the callback only", () => {
  const seen: string[] = [];
  const onLegacyName = (legacy: string, row: { name: string }) =>
    seen.push(`${legacy}=${row.name}`);
  parseFlashSize("4MB", { onLegacyName });
  parseFlashSize("1M", { onLegacyName });
  parseFlashSize("4m", { onLegacyName });
  parseFlashSize("16m-c1", { onLegacyName });
  assert.deepEqual(seen, ["4m=512KB", "16m-c1=2MB-c1"]);
});

Deno.test("an unknown flash size is a user error listing the valid names", () => {
  for (const bad of ["3MB", "32MB", "4GB", "", "big", "32m-c2", "64m", "1MB-c1"]) {
    assert.throws(() => parseFlashSize(bad), (e) => {
      assert.ok(isNodeflashError(e), bad);
      assert.equal(e.kind, "user");
      assert.equal(e.code, "input/flash-size");
      assert.equal(e.message, `Unknown flash size '${bad}'`);
      assert.match(e.hint ?? "", /512KB, 1MB, 2MB, 4MB, 2MB-c1, 4MB-c1, 8MB, 16MB/);
      return true;
    });
  }
});

Deno.test("parseFlashSizeSetting accepts keep/detect only when allowed", () => {
  assert.equal(parseFlashSizeSetting("keep", { allow: ["keep"] }), "keep");
  assert.equal(parseFlashSizeSetting("DETECT", { allow: ["keep", "detect"] }), "detect");
  assert.equal(parseFlashSizeSetting("32m", { allow: ["keep"] }), "4MB");
  assert.throws(() => parseFlashSizeSetting("detect", { allow: ["keep"] }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "input/flash-size");
    assert.match(e.hint ?? "", /^Use one of: keep, 256KB/);
    return true;
  });
  assert.throws(() => parseFlashSizeSetting("keep"), /Unknown flash size 'keep'/);
});

Deno.test("flash mode and frequency parsers: values, keep, errors", () => {
  assert.deepEqual(Object.entries(FLASH_MODES), [["qio", 0], ["qout", 1], ["dio", 2], [
    "dout",
    3,
  ]]);
  assert.deepEqual(FLASH_FREQS, { "40m": 0, "26m": 1, "20m": 2, "80m": 0xf });
  assert.equal(parseFlashMode("QOUT"), "qout");
  assert.equal(parseFlashMode("keep", { allow: ["keep"] }), "keep");
  assert.equal(parseFlashFreq("26m"), "26m");
  assert.equal(parseFlashFreq("20"), "20m");
  assert.equal(parseFlashFreq("40 MHz"), "40m");
  assert.equal(parseFlashFreq("Keep", { allow: ["keep"] }), "keep");
  assert.throws(() => parseFlashMode("fastread"), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "input/flash-mode");
    assert.match(e.hint ?? "", /qio, qout, dio, dout/);
    return true;
  });
  assert.throws(() => parseFlashFreq("48m", { allow: ["keep"] }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "input/flash-freq");
    assert.match(e.hint ?? "", /keep, 40m, 26m, 20m, 80m/);
    return true;
  });
  assert.throws(() => parseFlashMode("constructor"), /Unknown flash mode/);
});

Deno.test("header codes decode back to names and unused codes to undefined", () => {
  for (const row of FLASH_SIZES) assert.equal(flashSizeFromHeaderCode(row.headerCode), row);
  for (const code of [0x7, 0xa, 0xf]) assert.equal(flashSizeFromHeaderCode(code), undefined);
  for (const [mode, code] of Object.entries(FLASH_MODES)) {
    assert.equal(flashModeFromCode(code), mode);
  }
  assert.equal(flashModeFromCode(4), undefined);
  for (const [freq, code] of Object.entries(FLASH_FREQS)) {
    assert.equal(flashFreqFromCode(code), freq);
  }
  assert.equal(flashFreqFromCode(0x3), undefined);
});
