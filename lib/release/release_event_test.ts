import assert from "node:assert/strict";
import { releaseFromEvent } from "./release_event.ts";
import { FakeGitHub } from "../../tests/support/fake_github.ts";

Deno.test("releaseFromEvent reads action, repository and release from a payload", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{ tag: "v7", assets: [{ name: "fw.bin", bytes: new Uint8Array(3) }] }],
  });
  const parsed = releaseFromEvent(gh.releaseEvent("v7", "released"));
  assert.equal(parsed.action, "released");
  assert.deepEqual(parsed.repository, { owner: "nodemcu", repo: "nodemcu-firmware" });
  assert.equal(parsed.release.id, gh.release("v7").id);
  assert.deepEqual(parsed.release.assets.map((a) => a.name), ["fw.bin"]);
});

Deno.test("releaseFromEvent refuses payloads of other events", () => {
  for (const event of [null, 5, [], {}, { action: "opened", pull_request: {} }, { release: [] }]) {
    assert.throws(() => releaseFromEvent(event), { code: "release/not-a-release-event" });
  }
});

Deno.test("releaseFromEvent without a repository leaves it undefined", () => {
  const parsed = releaseFromEvent({
    release: {
      id: 1,
      tag_name: "v1",
      name: null,
      draft: false,
      prerelease: false,
      created_at: "2024-01-01T00:00:00Z",
      published_at: "2024-01-01T00:00:00Z",
      assets: [],
    },
  });
  assert.equal(parsed.repository, undefined);
  assert.equal(parsed.action, undefined);
});
