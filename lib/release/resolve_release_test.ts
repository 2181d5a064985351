import assert from "node:assert/strict";
import { FakeGitHub } from "../../tests/support/fake_github.ts";
import { GitHubReleaseClient } from "./github_client.ts";
import { resolveRelease } from "./resolve_release.ts";

const repository = { owner: "nodemcu", repo: "nodemcu-firmware" };

function start(token?: string): Promise<FakeGitHub> {
  return FakeGitHub.start({
    ...(token === undefined ? {} : { token }),
    releases: [
      { tag: "v1", createdAt: "2024-01-01T00:00:00Z" },
      { tag: "v2", createdAt: "2024-02-01T00:00:00Z" },
      { tag: "v3-rc1", prerelease: true, createdAt: "2024-03-01T00:00:00Z" },
      { tag: "v4-draft", draft: true, createdAt: "2024-04-01T00:00:00Z" },
    ],
  });
}

Deno.test("latest uses GitHub's latest endpoint and skips pre-releases and drafts", async () => {
  await using gh = await start("push-token");
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, token: "push-token" });
  const { release } = await resolveRelease(client, { repository, release: { kind: "latest" } });
  assert.equal(release.tag, "v2");
  assert.deepEqual(gh.apiRequests.map((r) => r.path), [
    "/repos/nodemcu/nodemcu-firmware/releases/latest",
  ]);
});

Deno.test("latest lists releases only when pre-releases or drafts are asked for", async () => {
  await using gh = await start("push-token");
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, token: "push-token" });
  const pre = await resolveRelease(client, {
    repository,
    release: { kind: "latest" },
    prereleases: "include",
  });
  assert.equal(pre.release.tag, "v3-rc1");
  const draft = await resolveRelease(client, {
    repository,
    release: { kind: "latest" },
    drafts: "include",
    prereleases: "include",
  });
  assert.equal(draft.release.tag, "v4-draft");
  assert.ok(
    gh.apiRequests.every((r) => r.path.startsWith("/repos/nodemcu/nodemcu-firmware/releases?")),
  );
});

Deno.test("latest with nothing eligible is a user error", async () => {
  await using gh = await FakeGitHub.start({ releases: [{ tag: "d", draft: true }] });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl });
  await assert.rejects(
    resolveRelease(client, { repository, release: { kind: "latest" }, prereleases: "include" }),
    { code: "release/not-found", kind: "user", message: /pre-releases included/ },
  );
  await assert.rejects(resolveRelease(client, { repository, release: { kind: "latest" } }), {
    code: "release/not-found",
  });
});

Deno.test("a tag or id returns what it names, pre-release or not", async () => {
  await using gh = await start();
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl });
  const byTag = await resolveRelease(client, {
    repository,
    release: { kind: "tag", tag: "v3-rc1" },
  });
  assert.equal(byTag.release.prerelease, true);
  const byId = await resolveRelease(client, {
    repository,
    release: { kind: "id", id: gh.release("v1").id },
  });
  assert.equal(byId.release.tag, "v1");
  await assert.rejects(
    resolveRelease(client, { repository, release: { kind: "tag", tag: "v9" } }),
    { code: "release/not-found", message: /Release 'v9' of nodemcu\/nodemcu-firmware/ },
  );
});

Deno.test("a draft is found by tag only when drafts are included (GitHub hides it)", async () => {
  await using gh = await start("push-token");
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, token: "push-token" });
  const tag = { kind: "tag" as const, tag: "v4-draft" };
  await assert.rejects(resolveRelease(client, { repository, release: tag }), {
    code: "release/not-found",
  });
  const found = await resolveRelease(client, { repository, release: tag, drafts: "include" });
  assert.equal(found.release.draft, true);
});

Deno.test("an event payload resolves without a request and names its repository", async () => {
  await using gh = await start();
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl });
  const event = gh.releaseEvent("v2");
  const resolved = await resolveRelease(client, { release: { kind: "event", event } });
  assert.deepEqual(resolved.repository, repository);
  assert.equal(resolved.release.id, gh.release("v2").id);
  assert.equal(gh.apiRequests.length, 0);
  await assert.rejects(
    resolveRelease(client, {
      repository: { owner: "someone", repo: "else" },
      release: { kind: "event", event },
    }),
    { code: "release/event-repository-mismatch" },
  );
  const same = await resolveRelease(client, {
    repository: { owner: "NodeMCU", repo: "nodemcu-firmware" },
    release: { kind: "event", event },
  });
  assert.equal(same.repository.owner, "NodeMCU");
});

Deno.test("a repository is needed unless the event names one", async () => {
  const client = new GitHubReleaseClient({ fetch: () => Promise.reject(new Error("no request")) });
  await assert.rejects(resolveRelease(client, { release: { kind: "latest" } }), {
    code: "release/no-repository",
  });
  const event = {
    release: {
      id: 1,
      tag_name: "v1",
      name: null,
      draft: false,
      prerelease: false,
      created_at: "2024-01-01T00:00:00Z",
      published_at: null,
      assets: [],
    },
  };
  await assert.rejects(resolveRelease(client, { release: { kind: "event", event } }), {
    code: "release/no-repository",
  });
});
