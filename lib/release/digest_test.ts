import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256, sha256File, sha256FromDigest } from "./digest.ts";

const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

Deno.test("sha256FromDigest reads sha256 digests, ignores unknown algorithms and null", () => {
  assert.equal(sha256FromDigest(`sha256:${ABC}`), ABC);
  assert.equal(sha256FromDigest(`SHA256:${ABC.toUpperCase()}`), ABC);
  assert.equal(sha256FromDigest(null), undefined);
  assert.equal(sha256FromDigest("sha512:abcd"), undefined);
  assert.equal(sha256FromDigest("nonsense"), undefined);
});

Deno.test("a malformed sha256 digest is a device error", () => {
  for (const digest of ["sha256:", "sha256:abc", `sha256:${ABC}00`, `sha256:${"g".repeat(64)}`]) {
    assert.throws(() => sha256FromDigest(digest), { code: "release/bad-digest", kind: "device" });
  }
});

Deno.test("sha256 hashes incrementally and sha256File streams a file", async () => {
  const h = sha256();
  h.update(new TextEncoder().encode("a"));
  h.update(new TextEncoder().encode("bc"));
  assert.equal(h.hex(), ABC);
  const path = await Deno.makeTempFile();
  try {
    const big = new Uint8Array(300_000).map((_, i) => i % 251);
    await Deno.writeFile(path, big);
    // node:crypto as the independent reference
    const expected = createHash("sha256").update(big).digest("hex");
    assert.deepEqual(await sha256File(path), { hex: expected, size: big.length });
  } finally {
    await Deno.remove(path);
  }
});
