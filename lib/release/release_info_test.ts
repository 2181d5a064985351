import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { parseAsset, parseRelease } from "./release_info.ts";

const asset = {
  id: 11,
  name: "fw.bin",
  size: 1024,
  state: "uploaded",
  digest: "sha256:" + "0".repeat(64),
  content_type: "application/octet-stream",
  download_count: 3,
};
const release = {
  id: 5,
  tag_name: "v5",
  name: "Five",
  draft: false,
  prerelease: true,
  created_at: "2024-05-05T00:00:00Z",
  published_at: null,
  assets: [asset],
};

Deno.test("parseRelease keeps the fields this layer uses", () => {
  assert.deepEqual(parseRelease(release), {
    id: 5,
    tag: "v5",
    name: "Five",
    draft: false,
    prerelease: true,
    createdAt: "2024-05-05T00:00:00Z",
    publishedAt: null,
    assets: [{
      id: 11,
      name: "fw.bin",
      size: 1024,
      state: "uploaded",
      digest: "sha256:" + "0".repeat(64),
      contentType: "application/octet-stream",
    }],
  });
});

Deno.test("parseAsset: missing digest is null, unknown state is not ready", () => {
  const { digest: _, ...old } = asset;
  assert.equal(parseAsset(old).digest, null);
  assert.equal(parseAsset({ ...asset, state: "starter" }).state, "open");
  assert.equal(
    parseAsset({ ...asset, content_type: undefined }).contentType,
    "application/octet-stream",
  );
});

Deno.test("malformed release or asset JSON is a device error naming the field", () => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => parseRelease(null), /'id'/],
    [() => parseRelease([]), /'id'/],
    [() => parseRelease({ ...release, id: "5" }), /'id'/],
    [() => parseRelease({ ...release, tag_name: 5 }), /'tag_name'/],
    [() => parseRelease({ ...release, assets: {} }), /'assets'/],
    [() => parseRelease({ ...release, draft: "no" }), /'draft'/],
    [() => parseAsset({ ...asset, size: -1 }), /'size'/],
    [() => parseAsset({ ...asset, size: 1.5 }), /'size'/],
    [() => parseAsset({ ...asset, id: 0 }), /'id'/],
    [() => parseAsset({ ...asset, digest: 7 }), /'digest'/],
  ];
  for (const [parse, field] of cases) {
    assert.throws(parse, (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.code, "release/bad-response");
      assert.equal(e.kind, "device");
      assert.match(e.message, field);
      return true;
    });
  }
});
