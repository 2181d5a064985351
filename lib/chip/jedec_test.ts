import assert from "node:assert/strict";
import { FLASH_SIZES } from "./flash_size.ts";
import { flashSizeFromJedec, jedecCapacity, jedecIdForSize } from "./jedec.ts";

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
