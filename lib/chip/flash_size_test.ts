import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import {
  FLASH_FREQS,
  FLASH_MODES,
  FLASH_SIZES,
  flashFreqFromCode,
  flashModeFromCode,
  flashSizeFromHeaderCode,
  flashSizeFromJedec,
  jedecCapacity,
  jedecIdForSize,
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

Deno.test("JEDEC ids: esptool's size_id table, both id ranges, and the 16MB limit", () => {
  const table: Array<[number, string, string | undefined]> = [
    [0x1240ef, "256KB", "256KB"],
    [0x1340ef, "512KB", "512KB"],
    [0x1440ef, "1MB", "1MB"],
    [0x1540ef, "2MB", "2MB"],
    [0x1640ef, "4MB", "4MB"],
    [0x1740ef, "8MB", "8MB"],
    [0x1840ef, "16MB", "16MB"],
    [0x3660c8, "4MB", "4MB"],
    [0x3860c8, "16MB", "16MB"],
    [0x1940ef, "32MB", undefined],
    [0x2040c2, "64MB", undefined],
    [0x3a40c2, "64MB", undefined],
    [0x2140c2, "128MB", undefined],
    [0x2240c2, "256MB", undefined],
  ];
  for (const [id, label, usable] of table) {
    assert.equal(jedecCapacity(id)?.label, label, id.toString(16));
    assert.equal(jedecCapacity(id)?.usable, usable, id.toString(16));
    assert.equal(flashSizeFromJedec(id), usable, id.toString(16));
  }
  for (const unknown of [0x000000, 0xffffff, 0xffff3f, 0x1140ef, 0x2340ef, 0x3b40ef]) {
    assert.equal(jedecCapacity(unknown), undefined, unknown.toString(16));
  }
});

Deno.test("JEDEC ids: Adesto parts use the density bits of the type byte", () => {
  // AT25SF041: 1F 84 01 → (0x84 & 0x1F) = 4 → 512KB; capacity byte is not a size here.
  assert.equal(flashSizeFromJedec(0x01841f), "512KB");
  assert.equal(flashSizeFromJedec(0x01861f), "2MB");
  assert.equal(flashSizeFromJedec(0x01891f), "16MB");
  assert.equal(flashSizeFromJedec(0x16401f), undefined);
  // The same capacity byte with another vendor follows the main table.
  assert.equal(flashSizeFromJedec(0x0184ef), undefined);
});

Deno.test("jedecIdForSize round-trips through flashSizeFromJedec", () => {
  for (const row of FLASH_SIZES) {
    const plain = row.name.replace("-c1", "");
    assert.equal(flashSizeFromJedec(jedecIdForSize(row.name)), plain);
    assert.equal(jedecIdForSize(row.name) & 0xff, 0xef);
  }
  assert.equal(jedecIdForSize("2MB", { manufacturer: 0x5e, memoryType: 0x60 }), 0x15605e);
});
