import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { FakeGitHub } from "../../tests/support/fake_github.ts";
import { ManualClock } from "./clock.ts";
import { GitHubReleaseClient, normalizeApiUrl } from "./github_client.ts";
import type { ReleaseEvent } from "./types.ts";

const repo = { owner: "nodemcu", repo: "nodemcu-firmware" };
const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("normalizeApiUrl trims, checks the scheme and refuses tokens over plain http", () => {
  assert.equal(normalizeApiUrl("https://api.github.com/"), "https://api.github.com");
  assert.equal(normalizeApiUrl("https://ghe.corp/api/v3?x=1#y"), "https://ghe.corp/api/v3");
  assert.equal(
    normalizeApiUrl("http://127.0.0.1:8080", { withToken: true }),
    "http://127.0.0.1:8080",
  );
  assert.equal(normalizeApiUrl("http://localhost:1", { withToken: true }), "http://localhost:1");
  assert.equal(normalizeApiUrl("http://ghe.corp/api/v3"), "http://ghe.corp/api/v3");
  assert.throws(() => normalizeApiUrl("http://ghe.corp/api/v3", { withToken: true }), {
    code: "release/insecure-api-url",
  });
  assert.throws(() => normalizeApiUrl("not a url"), { code: "release/bad-api-url" });
  assert.throws(() => normalizeApiUrl("ftp://x"), { code: "release/bad-api-url" });
  assert.throws(() => new GitHubReleaseClient({ baseUrl: "http://evil.example", token: "t0k3n" }), {
    code: "release/insecure-api-url",
  });
});

Deno.test("the client gets latest, by tag, by id and lists across pages", async () => {
  await using gh = await FakeGitHub.start({
    releases: Array.from({ length: 130 }, (_, i) => ({
      tag: `v${i}`,
      createdAt: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString(),
      prerelease: i === 129,
    })),
  });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl });
  assert.equal((await client.getLatest(repo)).tag, "v128");
  assert.equal((await client.getByTag(repo, "v5")).id, gh.release("v5").id);
  assert.equal((await client.getById(repo, gh.release("v7").id)).tag, "v7");
  const all = await client.listReleases(repo);
  assert.equal(all.length, 130);
  assert.equal(all[0]?.tag, "v129");
  assert.equal((await client.listReleases(repo, { maxPages: 1 })).length, 100);
  assert.equal(client.host, new URL(gh.apiUrl).host);
});

Deno.test("the client sends the token to the API and maps 404 to a user error", async () => {
  await using gh = await FakeGitHub.start({ token: "private-token-1", releases: [{ tag: "v1" }] });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, token: "private-token-1" });
  assert.equal((await client.getByTag(repo, "v1")).tag, "v1");
  assert.equal(gh.apiRequests.at(-1)?.authorization, "token private-token-1");
  await assert.rejects(client.getByTag(repo, "v2"), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "release/not-found");
    assert.equal(
      e.message,
      `Release 'v2' of nodemcu/nodemcu-firmware was not found on ${client.host}`,
    );
    return true;
  });
  const anonymous = new GitHubReleaseClient({ baseUrl: gh.apiUrl });
  await assert.rejects(anonymous.getLatest(repo), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "release/not-found");
    assert.match(e.hint ?? "", /private repository/);
    return true;
  });
});

Deno.test("a rejected token never shows up in the error, even when the server echoes it", async () => {
  const token = "ghp_" + "Z9y8X7w6".repeat(5);
  await using gh = await FakeGitHub.start({
    token: "the-right-token",
    echoTokenInErrors: true,
    releases: [{ tag: "v1" }],
  });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, token });
  const error = await client.getLatest(repo).catch((e) => e);
  assert.ok(isNodeflashError(error));
  assert.equal(error.code, "release/bad-credentials");
  assert.match(error.message, /Bad credentials \(\*\*\*\)/, "the echoed token was redacted");
  const everything = Deno.inspect(error, { depth: 20, showHidden: true }) + String(error.stack) +
    String((error.cause as Error | undefined)?.stack) + JSON.stringify(error.details);
  assert.ok(!everything.includes(token));
  assert.ok(!everything.includes(token.slice(4)));
});

Deno.test("the client retries 5xx and rate limits through its clock", async () => {
  await using gh = await FakeGitHub.start({ releases: [{ tag: "v1" }] });
  const clock = new ManualClock();
  const events: ReleaseEvent[] = [];
  const client = new GitHubReleaseClient({
    baseUrl: gh.apiUrl,
    clock,
    onEvent: (e) => events.push(e),
  });
  gh.inject("api", { kind: "status", status: 502 });
  gh.inject("api", { kind: "secondary-rate-limit", retryAfterSeconds: 3 });
  assert.equal((await client.getLatest(repo)).tag, "v1");
  assert.deepEqual(clock.sleeps, [1_000, 3_000]);
  assert.deepEqual(events.map((e) => e.type), ["retry", "retry"]);
  assert.equal(gh.apiRequests.length, 3);
});

Deno.test("openAsset streams the bytes through the storage redirect", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{ tag: "v1", assets: [{ name: "fw.bin", bytes: bytes("payload") }] }],
  });
  const client = new GitHubReleaseClient({ baseUrl: gh.apiUrl, token: "tok-for-api" });
  const stream = await client.openAsset(repo, gh.asset("fw.bin").id);
  assert.equal(await new Response(stream).text(), "payload");
  assert.equal(gh.apiRequests.at(-1)?.accept, "application/octet-stream");
  assert.equal(gh.apiRequests.at(-1)?.authorization, "token tok-for-api");
  assert.equal(gh.storageRequests[0]?.authorization, null);
});
