import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { checkTagName, parseReleaseRef, parseRepository } from "./release_ref.ts";

Deno.test("parseReleaseRef: owner/repo alone and @latest mean the latest release", () => {
  for (const text of ["nodemcu/nodemcu-firmware", " nodemcu/nodemcu-firmware@latest "]) {
    assert.deepEqual(parseReleaseRef(text), {
      repository: { owner: "nodemcu", repo: "nodemcu-firmware" },
      release: { kind: "latest" },
    });
  }
});

Deno.test("parseReleaseRef: tags, tag: escapes, numeric tags and id:", () => {
  assert.deepEqual(parseReleaseRef("o/r@3.0.0-release_20240225").release, {
    kind: "tag",
    tag: "3.0.0-release_20240225",
  });
  assert.deepEqual(parseReleaseRef("o/r@tag:latest").release, { kind: "tag", tag: "latest" });
  assert.deepEqual(parseReleaseRef("o/r@2024").release, { kind: "tag", tag: "2024" });
  assert.deepEqual(parseReleaseRef("o/r@id:123456").release, { kind: "id", id: 123456 });
  assert.deepEqual(parseReleaseRef("o/r@v1@beta").release, { kind: "tag", tag: "v1@beta" });
  assert.deepEqual(parseReleaseRef("my-org/fw.repo_1@v1").repository, {
    owner: "my-org",
    repo: "fw.repo_1",
  });
});

Deno.test("parseReleaseRef: bad input is a user error with a stable code", () => {
  const cases: Array<[string, string]> = [
    ["nodemcu", "release/bad-repository"],
    ["a/b/c", "release/bad-repository"],
    ["-a/b", "release/bad-repository"],
    ["a/..", "release/bad-repository"],
    ["a b/c", "release/bad-repository"],
    ["o/r@", "release/bad-release-ref"],
    ["o/r@id:abc", "release/bad-release-ref"],
    ["o/r@id:0", "release/bad-release-ref"],
    ["o/r@id:99999999999999999999", "release/bad-release-ref"],
    ["o/r@v1 beta", "release/bad-tag"],
    ["o/r@v1..2", "release/bad-tag"],
    ["o/r@v1.lock", "release/bad-tag"],
    ["o/r@/v1", "release/bad-tag"],
    ["o/r@v1~1", "release/bad-tag"],
    ["o/r@tag:", "release/bad-tag"],
  ];
  for (const [text, code] of cases) {
    assert.throws(() => parseReleaseRef(text), (e) => {
      assert.ok(isNodeflashError(e), text);
      assert.equal(e.code, code, text);
      assert.equal(e.kind, "user");
      assert.ok(e.hint !== undefined && e.hint.length > 0);
      return true;
    });
  }
});

Deno.test("parseRepository and checkTagName return their input when it is valid", () => {
  assert.deepEqual(parseRepository("nodemcu/nodemcu-firmware"), {
    owner: "nodemcu",
    repo: "nodemcu-firmware",
  });
  assert.equal(checkTagName("release/2024"), "release/2024");
  assert.throws(() => checkTagName("a\u0000b"), /not a valid tag name/);
});
