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
    ["32Mbit", "4MB"],
    ["8mbit", "1MB"],
    ["1m", "1MB"],
  ];
  for (const [text, name] of cases) assert.equal(parseFlashSize(text).name, name, text);
});

Deno.test("parseFlashSize notes what a megabit name means, and only then", () => {
  const seen: string[] = [];
  const onNote = (note: string) => seen.push(note);
  for (const text of ["4MB", "1M", "1m", "4m", "16m-c1"]) parseFlashSize(text, { onNote });
  assert.deepEqual(seen, [
    "4m is the NodeMCU guide's megabit name: 4 Mbit = 512KB",
    "16m-c1 is the NodeMCU guide's megabit name: 16 Mbit = 2MB-c1",
  ]);
});

Deno.test("a spelling that reads as megabytes and as megabits is refused with both readings", () => {
  const cases: Array<[string, RegExp, RegExp]> = [
    ["4M", /4 megabytes is 4MB, 4 megabits is 512KB/, /Write 4MB for megabytes, or 512KB or 4m/],
    ["16M", /16 megabytes is 16MB, 16 megabits is 2MB/, /16MB.*2MB or 16m/],
    ["8Mb", /8 megabytes is 8MB, 8 megabits is 1MB/, /8MB.*1MB or 8m/],
    ["32M", /32 megabytes is no ESP8266 size.*32 megabits is 4MB/, /^Write 4MB or 32m/],
    ["32M-c1", /32 megabits is 4MB-c1/, /4MB-c1 or 32m/],
  ];
  for (const [text, message, hint] of cases) {
    assert.throws(() => parseFlashSize(text), (e) => {
      assert.ok(isNodeflashError(e), text);
      assert.equal(e.code, "input/flash-size");
      assert.match(e.message, new RegExp(`'${text}' is ambiguous`));
      assert.match(e.message, message, text);
      assert.match(e.hint ?? "", hint, text);
      return true;
    });
  }
  // The same refusal where keep/detect are allowed too.
  assert.throws(() => parseFlashSizeSetting("4M", { allow: ["keep", "detect"] }), /ambiguous/);
});

Deno.test("an unknown flash size is a user error listing the valid names", () => {
  for (const bad of ["3MB", "32MB", "4GB", "", "big", "32m-c2", "64m", "1MB-c1", "3mbit", "64M"]) {
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
