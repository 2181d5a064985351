/**
 * JSON bodies of the fake GitHub API (see fake_github.ts): releases, assets, users and error
 * bodies shaped like GitHub's (checked against GitHub's OpenAPI description by
 * fake_github_openapi_test.ts), plus the headers GitHub sends with rate limits.
 */

/** One asset of a fake release. */
export interface FakeAssetSpec {
  /** File name (hostile names are allowed: the fake serves whatever it is given). */
  name: string;
  /** The bytes served. */
  bytes: Uint8Array;
  /** Asset id; assigned when omitted. */
  id?: number;
  /** Label, `null` by default. */
  label?: string | null;
  /** MIME type, `application/octet-stream` by default. */
  contentType?: string;
  /** `"sha256"` (real digest, default), `"none"` (`null`, old assets) or `"wrong"`. */
  digest?: "sha256" | "none" | "wrong";
  /** Reported as `state: "open"` for the first N fetches of its release. */
  openForReleaseFetches?: number;
  /** Left out of its release for the first N fetches (the race after a `release` event). */
  hiddenForReleaseFetches?: number;
}

/** One fake release. */
export interface FakeReleaseSpec {
  /** Tag name. */
  tag: string;
  /** Release id; assigned when omitted. */
  id?: number;
  /** Title; the tag by default. */
  name?: string | null;
  /** Draft (visible only with the repository's token). */
  draft?: boolean;
  /** Pre-release. */
  prerelease?: boolean;
  /** ISO creation time (orders "latest"). */
  createdAt?: string;
  /** Assets. */
  assets?: FakeAssetSpec[];
}

/** A fake asset with its id fixed and its digest computed. */
export interface FakeAsset extends FakeAssetSpec {
  id: number;
  /** The `digest` field served. */
  digestField: string | null;
  /** Real SHA-256 of `bytes`, hex. */
  sha256: string;
}

/** A fake release with ids fixed. */
export interface FakeRelease extends FakeReleaseSpec {
  id: number;
  createdAt: string;
  assets: FakeAsset[];
  /** How many times its JSON was served. */
  fetches: number;
}

/** Where the fake lives, for URLs in bodies. */
export interface FakeSite {
  apiUrl: string;
  owner: string;
  repo: string;
}

/** A GitHub user object (`simple-user`). */
export function userJson(site: FakeSite, login: string, id: number): Record<string, unknown> {
  const url = `${site.apiUrl}/users/${login}`;
  return {
    login,
    id,
    node_id: btoa(`04:User${id}`),
    avatar_url: `${site.apiUrl}/avatars/u/${id}`,
    gravatar_id: "",
    url,
    html_url: `${site.apiUrl}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: "User",
    user_view_type: "public",
    site_admin: false,
  };
}

/** A release asset object (`release-asset`), with the given state. */
export function assetJson(
  site: FakeSite,
  release: FakeRelease,
  asset: FakeAsset,
  state: "open" | "uploaded",
): Record<string, unknown> {
  const repoUrl = `${site.apiUrl}/repos/${site.owner}/${site.repo}`;
  return {
    url: `${repoUrl}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: btoa(`RA_${asset.id}`),
    name: asset.name,
    label: asset.label ?? null,
    uploader: userJson(site, "release-bot", 41898282),
    content_type: asset.contentType ?? "application/octet-stream",
    state,
    size: asset.bytes.length,
    digest: asset.digestField,
    download_count: 0,
    created_at: release.createdAt,
    updated_at: release.createdAt,
    browser_download_url: `${site.apiUrl}/${site.owner}/${site.repo}/releases/download/` +
      `${encodeURIComponent(release.tag)}/${encodeURIComponent(asset.name)}`,
  };
}

/**
 * A release object (`release`). `fetchIndex` says how many times it was served before, which
 * decides which assets are still open or hidden.
 */
export function releaseJson(
  site: FakeSite,
  release: FakeRelease,
  fetchIndex: number,
): Record<string, unknown> {
  const repoUrl = `${site.apiUrl}/repos/${site.owner}/${site.repo}`;
  const published = new Date(Date.parse(release.createdAt) + 300_000).toISOString();
  const tag = encodeURIComponent(release.tag);
  return {
    url: `${repoUrl}/releases/${release.id}`,
    assets_url: `${repoUrl}/releases/${release.id}/assets`,
    upload_url: `${site.apiUrl}/uploads/repos/${site.owner}/${site.repo}/releases/` +
      `${release.id}/assets{?name,label}`,
    html_url: `${site.apiUrl}/${site.owner}/${site.repo}/releases/tag/${tag}`,
    id: release.id,
    author: userJson(site, "release-bot", 41898282),
    node_id: btoa(`RE_${release.id}`),
    tag_name: release.tag,
    target_commitish: "release",
    name: release.name === undefined ? release.tag : release.name,
    draft: release.draft ?? false,
    prerelease: release.prerelease ?? false,
    immutable: false,
    created_at: release.createdAt,
    updated_at: release.createdAt,
    published_at: release.draft === true ? null : published,
    tarball_url: `${repoUrl}/tarball/${tag}`,
    zipball_url: `${repoUrl}/zipball/${tag}`,
    body: `Firmware ${release.tag}`,
    assets: release.assets
      .filter((a) => fetchIndex >= (a.hiddenForReleaseFetches ?? 0))
      .map((a) =>
        assetJson(
          site,
          release,
          a,
          fetchIndex < (a.openForReleaseFetches ?? 0) ? "open" : "uploaded",
        )
      ),
  };
}

/** The payload of a `release` event for the release (as first published). */
export function releaseEventJson(
  site: FakeSite,
  release: FakeRelease,
  action = "published",
): Record<string, unknown> {
  return {
    action,
    release: releaseJson(site, release, 0),
    repository: {
      id: 1,
      name: site.repo,
      full_name: `${site.owner}/${site.repo}`,
      private: false,
      owner: userJson(site, site.owner, 2),
    },
    sender: userJson(site, "release-bot", 41898282),
  };
}

/** GitHub's error body (`basic-error`). */
export function errorJson(
  message: string,
  status: number,
  documentation = "https://docs.github.com/rest",
): Record<string, unknown> {
  return { message, documentation_url: documentation, status: String(status) };
}

/** The rate-limit headers GitHub sends with every API response. */
export function rateLimitHeaders(
  limit: number,
  remaining: number,
  resetEpochSeconds: number,
): Record<string, string> {
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, remaining)),
    "x-ratelimit-used": String(Math.max(0, limit - remaining)),
    "x-ratelimit-reset": String(resetEpochSeconds),
    "x-ratelimit-resource": "core",
  };
}

/** Hex SHA-256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
