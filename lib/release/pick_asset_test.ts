import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { matchAssets, pickAsset } from "./pick_asset.ts";
import type { AssetInfo, ReleaseInfo } from "./types.ts";

const asset = (id: number, name: string): AssetInfo => ({
  id,
  name,
  size: 1,
  state: "uploaded",
  digest: null,
  contentType: "application/octet-stream",
});
const release: ReleaseInfo = {
  id: 1,
  tag: "v3",
  name: null,
  draft: false,
  prerelease: false,
  createdAt: "2024-01-01T00:00:00Z",
  publishedAt: null,
  assets: [asset(1, "nodemcu-float.bin"), asset(2, "nodemcu-integer.bin"), asset(3, "SHA256SUMS")],
};

Deno.test("pickAsset returns the one match", () => {
  assert.equal(pickAsset(release, "*-float.bin").id, 1);
  assert.equal(pickAsset(release, "SHA256SUMS").id, 3);
});

Deno.test("pickAsset with no match lists the assets that exist", () => {
  assert.throws(() => pickAsset(release, "*-double.bin", { repository: "o/r" }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "release/no-matching-asset");
    assert.equal(e.kind, "user");
    assert.match(e.message, /release 'v3' of o\/r matches '\*-double\.bin'/);
    assert.match(e.message, /nodemcu-float\.bin, nodemcu-integer\.bin, SHA256SUMS/);
    assert.deepEqual(e.details, {
      assets: ["nodemcu-float.bin", "nodemcu-integer.bin", "SHA256SUMS"],
    });
    return true;
  });
  assert.throws(() => pickAsset({ ...release, assets: [] }, "*.bin"), /it has no assets/);
});

Deno.test("pickAsset with two matches names both", () => {
  assert.throws(() => pickAsset(release, "nodemcu-*.bin"), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "release/ambiguous-asset");
    assert.match(e.message, /2 assets .* nodemcu-float\.bin, nodemcu-integer\.bin/);
    return true;
  });
});

Deno.test("a long asset list is shortened in the message", () => {
  const many = {
    ...release,
    assets: Array.from({ length: 45 }, (_, i) => asset(i + 1, `f${i}.txt`)),
  };
  assert.throws(() => pickAsset(many, "*.bin"), /and 15 more/);
  assert.equal(matchAssets(many.assets, "f4?.txt").length, 5);
});
