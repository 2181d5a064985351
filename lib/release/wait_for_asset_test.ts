import assert from "node:assert/strict";
import { FakeGitHub } from "../../tests/support/fake_github.ts";
import { ManualClock } from "./clock.ts";
import { GitHubReleaseClient } from "./github_client.ts";
import { releaseFromEvent } from "./release_event.ts";
import type { ReleaseEvent } from "./types.ts";
import { waitForAsset } from "./wait_for_asset.ts";

const repository = { owner: "nodemcu", repo: "nodemcu-firmware" };
const bytes = new Uint8Array(10);

Deno.test("an asset still uploading is waited for by re-fetching the release by id", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{ tag: "v1", assets: [{ name: "fw.bin", bytes, openForReleaseFetches: 3 }] }],
  });
  const clock = new ManualClock();
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, clock });
  const first = await client.getByTag(repository, "v1");
  assert.equal(first.assets[0]?.state, "open");
  const events: ReleaseEvent[] = [];
  const ready = await waitForAsset(client, {
    repository,
    release: first,
    pattern: "*.bin",
    policy: { attempts: 5, delayMs: 2_000 },
    onEvent: (e) => events.push(e),
  });
  assert.equal(ready.asset.state, "uploaded");
  assert.deepEqual(clock.sleeps, [2_000, 2_000, 2_000]);
  assert.deepEqual(
    events.map((e) => e.type === "waiting-for-asset" && `${e.attempt}/${e.attempts} ${e.state}`),
    ["1/5 open", "2/5 open", "3/5 open"],
  );
  const byId = `/repos/nodemcu/nodemcu-firmware/releases/${gh.release("v1").id}`;
  assert.equal(gh.apiRequests.filter((r) => r.path === byId).length, 3);
});

Deno.test("an upload that never finishes ends in a device error", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{ tag: "v1", assets: [{ name: "fw.bin", bytes, openForReleaseFetches: 99 }] }],
  });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, clock: new ManualClock() });
  const release = await client.getByTag(repository, "v1");
  await assert.rejects(
    waitForAsset(client, { repository, release, pattern: "fw.bin", policy: { attempts: 3 } }),
    { code: "release/asset-not-ready", kind: "device", message: /still uploading after 3 checks/ },
  );
});

Deno.test("after a release event a missing asset is waited for; otherwise it fails at once", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{
      tag: "v1",
      assets: [{ name: "a.txt", bytes }, { name: "fw.bin", bytes, hiddenForReleaseFetches: 2 }],
    }],
  });
  const clock = new ManualClock();
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, clock });
  const { release } = releaseFromEvent(gh.releaseEvent("v1"));
  assert.deepEqual(release.assets.map((a) => a.name), ["a.txt"]);
  await assert.rejects(waitForAsset(client, { repository, release, pattern: "*.bin" }), {
    code: "release/no-matching-asset",
  });
  assert.equal(gh.apiRequests.length, 0, "no waiting without missing: 'wait'");
  const ready = await waitForAsset(client, {
    repository,
    release,
    pattern: "*.bin",
    missing: "wait",
    policy: { delayMs: 500 },
  });
  assert.equal(ready.asset.name, "fw.bin");
  assert.deepEqual(clock.sleeps, [500, 500, 500]);
});

Deno.test("an asset that never appears ends in the no-match error listing the assets", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{ tag: "v1", assets: [{ name: "a.txt", bytes }] }],
  });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, clock: new ManualClock() });
  const release = await client.getByTag(repository, "v1");
  await assert.rejects(
    waitForAsset(client, {
      repository,
      release,
      pattern: "*.bin",
      missing: "wait",
      policy: { attempts: 2 },
    }),
    { code: "release/no-matching-asset", message: /it has: a\.txt/ },
  );
  assert.equal(gh.apiRequests.length, 2);
});
