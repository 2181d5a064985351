import assert from "node:assert/strict";
import { join } from "node:path";
import { AssetCache, cacheKey, type CacheKeyParts } from "./asset_cache.ts";
import { sha256 } from "./digest.ts";
import { writeVerifiedFile } from "./write_verified_file.ts";

const bytes = new TextEncoder().encode("nodemcu firmware");
const hex = (() => {
  const h = sha256();
  h.update(bytes);
  return h.hex();
})();
const parts: CacheKeyParts = {
  apiUrl: "https://api.github.com",
  repository: { owner: "nodemcu", repo: "nodemcu-firmware" },
  assetId: 42,
  digest: `sha256:${hex}`,
};

async function store(cache: AssetCache, key: string): Promise<string> {
  const file = await writeVerifiedFile(new Blob([bytes]).stream(), {
    dir: cache.entryDir(key),
    fileName: "fw.bin",
    size: bytes.length,
    label: "x",
  });
  await cache.commit(key, parts, file);
  return file.path;
}

async function withCache(run: (cache: AssetCache) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await run(new AssetCache(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cacheKey differs by host, repository, asset id and digest", () => {
  const keys = new Set([
    cacheKey(parts),
    cacheKey({ ...parts, apiUrl: "https://ghe.example.com/api/v3" }),
    cacheKey({ ...parts, repository: { owner: "nodemcu", repo: "other" } }),
    cacheKey({ ...parts, assetId: 43 }),
    cacheKey({ ...parts, digest: null }),
  ]);
  assert.equal(keys.size, 5);
  assert.equal(
    cacheKey({ ...parts, repository: { owner: "NodeMCU", repo: "NodeMCU-Firmware" } }),
    cacheKey(parts),
    "GitHub names are case-insensitive",
  );
  assert.match(cacheKey(parts), /^[0-9a-f]{40}$/);
});

Deno.test("a stored entry is a verified hit", async () => {
  await withCache(async (cache) => {
    const key = cacheKey(parts);
    const path = await store(cache, key);
    const hit = await cache.lookup(key, { fileName: "fw.bin", size: bytes.length, sha256: hex });
    assert.deepEqual(hit, { path, sha256: hex, size: bytes.length });
    const entry = JSON.parse(await Deno.readTextFile(join(cache.entryDir(key), "entry.json")));
    assert.equal(entry.repository, "nodemcu/nodemcu-firmware");
    assert.equal(entry.assetId, 42);
  });
});

Deno.test("a tampered cached file is not a hit and its entry is removed", async () => {
  await withCache(async (cache) => {
    const key = cacheKey(parts);
    const path = await store(cache, key);
    await Deno.writeTextFile(path, "NODEMCU FIRMWARE"); // same size, other bytes
    assert.equal(await cache.lookup(key, { fileName: "fw.bin", size: bytes.length }), undefined);
    await assert.rejects(Deno.stat(cache.entryDir(key)), Deno.errors.NotFound);
  });
});

Deno.test("an entry whose file vanished, or a wrong expectation, is a miss", async () => {
  await withCache(async (cache) => {
    const key = cacheKey(parts);
    const path = await store(cache, key);
    assert.equal(await cache.lookup(key, { fileName: "fw.bin", size: 1 }), undefined);
    await store(cache, key);
    assert.equal(
      await cache.lookup(key, { fileName: "fw.bin", size: bytes.length, sha256: "0".repeat(64) }),
      undefined,
    );
    await store(cache, key);
    assert.equal(await cache.lookup(key, { fileName: "other.bin", size: bytes.length }), undefined);
    await Deno.remove(path);
    assert.equal(await cache.lookup(key, { fileName: "fw.bin", size: bytes.length }), undefined);
  });
});

Deno.test("an unfinished entry (no record) or a corrupt record is a miss", async () => {
  await withCache(async (cache) => {
    const key = cacheKey(parts);
    await store(cache, key);
    await cache.invalidate(key);
    assert.equal(await cache.lookup(key, { fileName: "fw.bin", size: bytes.length }), undefined);
    await Deno.writeTextFile(join(cache.entryDir(key), "entry.json"), "{not json");
    assert.equal(await cache.lookup(key, { fileName: "fw.bin", size: bytes.length }), undefined);
    await Deno.writeTextFile(
      join(cache.entryDir(key), "entry.json"),
      JSON.stringify({ fileName: "../../etc/passwd", sha256: hex, size: 16, assetId: 42 }),
    );
    assert.equal(await cache.lookup(key, { fileName: "fw.bin", size: bytes.length }), undefined);
  });
});

Deno.test("entryDir refuses anything but a key", () => {
  const cache = new AssetCache("/nonexistent");
  assert.throws(() => cache.entryDir("../x"), RangeError);
});
