/**
 * The GitHub REST calls this layer makes, through `@octokit/rest`: get a release (latest, by
 * tag, by id), list releases, and open an asset's bytes. JSON calls are retried (see
 * {@link withRetry}); opening an asset is one attempt, because the download retries the whole
 * transfer.
 *
 * @module
 */

import { Octokit } from "@octokit/rest";
import { userError } from "../errors.ts";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import type { ErrorContext } from "./release_error.ts";
import { parseRelease } from "./release_info.ts";
import type { RetryPolicy } from "./retry.ts";
import { withRetry } from "./retry.ts";
import type { ReleaseEventListener, ReleaseInfo, Repository } from "./types.ts";
import { repositoryName } from "./types.ts";

/** GitHub.com's API. GitHub Enterprise Server uses `https://HOST/api/v3` (`GITHUB_API_URL`). */
export const DEFAULT_API_URL = "https://api.github.com";

/** Options for {@link GitHubReleaseClient}. */
export interface GitHubClientOptions {
  /** API base URL; {@link DEFAULT_API_URL} by default. */
  baseUrl?: string | undefined;
  /** Token for private repositories and higher rate limits. */
  token?: string | undefined;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Clock for retry waits. */
  clock?: Clock | undefined;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy> | undefined;
  /** Gets retry events. */
  onEvent?: ReleaseEventListener | undefined;
  /** Cancels requests and waits. */
  signal?: AbortSignal | undefined;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Checks and normalises an API base URL (no trailing slash). Plain `http:` is refused for
 * anything but loopback when a token would be sent.
 *
 * @param text the URL, e.g. `GITHUB_API_URL`
 * @param options whether a token will be sent
 * @returns the normalised URL
 *
 * @example
 * ```ts
 * import { normalizeApiUrl } from "./github_client.ts";
 * if (normalizeApiUrl("https://ghe.example.com/api/v3/") !== "https://ghe.example.com/api/v3") {
 *   throw new Error();
 * }
 * ```
 */
export function normalizeApiUrl(text: string, options: { withToken?: boolean } = {}): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw userError(
      "release/bad-api-url",
      `'${text.slice(0, 120)}' is not a URL`,
      `Use ${DEFAULT_API_URL}, or https://HOST/api/v3 for GitHub Enterprise Server.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw userError(
      "release/bad-api-url",
      `The API URL '${url.origin}' is not http(s)`,
      `Use ${DEFAULT_API_URL}, or https://HOST/api/v3 for GitHub Enterprise Server.`,
    );
  }
  if (url.protocol === "http:" && options.withToken === true && !LOOPBACK.test(url.hostname)) {
    throw userError(
      "release/insecure-api-url",
      `Refusing to send a token to ${url.host} over plain http`,
      "Use the https:// URL of the API.",
    );
  }
  url.search = "";
  url.hash = "";
  return url.href.replace(/\/+$/, "");
}

const SILENT_LOG = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A small GitHub releases client over Octokit, with retries and redacted errors.
 *
 * @example
 * ```ts
 * import { GitHubReleaseClient } from "./github_client.ts";
 * const release = { id: 1, tag_name: "v1", name: null, draft: false, prerelease: false,
 *   created_at: "2024-01-01T00:00:00Z", published_at: "2024-01-01T00:00:00Z", assets: [] };
 * const fakeFetch = (_input: RequestInfo | URL) =>
 *   Promise.resolve(Response.json(release));
 * const client = new GitHubReleaseClient({ fetch: fakeFetch as typeof fetch });
 * const got = await client.getLatest({ owner: "o", repo: "r" });
 * if (got.tag !== "v1") throw new Error();
 * ```
 */
export class GitHubReleaseClient {
  #octokit: Octokit;
  #apiUrl: string;
  #token: string | undefined;
  #clock: Clock;
  #retry: Partial<RetryPolicy> | undefined;
  #onEvent: ReleaseEventListener | undefined;
  #signal: AbortSignal | undefined;

  /**
   * Creates a client; nothing is requested until a method is called.
   *
   * @param options API URL, token, fetch, clock, retry policy, listener and signal
   */
  constructor(options: GitHubClientOptions = {}) {
    const token = options.token === "" ? undefined : options.token;
    this.#apiUrl = normalizeApiUrl(options.baseUrl ?? DEFAULT_API_URL, {
      withToken: token !== undefined,
    });
    this.#token = token;
    this.#clock = options.clock ?? systemClock();
    this.#retry = options.retry;
    this.#onEvent = options.onEvent;
    this.#signal = options.signal;
    this.#octokit = new Octokit({
      baseUrl: this.#apiUrl,
      userAgent: "nodeflash",
      log: SILENT_LOG,
      ...(token === undefined ? {} : { auth: token }),
      request: {
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    });
  }

  /** The normalised API base URL. */
  get apiUrl(): string {
    return this.#apiUrl;
  }

  /** The API host (with port), for messages and cache keys. */
  get host(): string {
    return new URL(this.#apiUrl).host;
  }

  /** The clock this client waits on. */
  get clock(): Clock {
    return this.#clock;
  }

  /**
   * Builds the context for errors about `subject` while doing `action`. It carries the token
   * so that errors can be redacted: pass it to error helpers, never print it.
   */
  context(action: string, subject: string): ErrorContext {
    const secrets = this.#token === undefined ? [] : [this.#token];
    return { host: this.host, action, subject, secrets };
  }

  /** Runs `operation` with this client's retry policy, clock, listener and signal. */
  retry<T>(operation: (attempt: number) => Promise<T>, context: ErrorContext): Promise<T> {
    return withRetry(operation, {
      policy: this.#retry,
      clock: this.#clock,
      context,
      onEvent: this.#onEvent,
      signal: this.#signal,
    });
  }

  /** The latest published, non-draft, non-prerelease release. */
  getLatest(repository: Repository): Promise<ReleaseInfo> {
    const name = repositoryName(repository);
    return this.retry(async () => {
      const response = await this.#octokit.rest.repos.getLatestRelease({ ...repository });
      return parseRelease(response.data);
    }, this.context(`looking up the latest release of ${name}`, `A latest release of ${name}`));
  }

  /** The published release of a tag. */
  getByTag(repository: Repository, tag: string): Promise<ReleaseInfo> {
    const name = repositoryName(repository);
    return this.retry(async () => {
      const response = await this.#octokit.rest.repos.getReleaseByTag({ ...repository, tag });
      return parseRelease(response.data);
    }, this.context(`looking up release '${tag}' of ${name}`, `Release '${tag}' of ${name}`));
  }

  /** A release by id (drafts need push access). */
  getById(repository: Repository, id: number): Promise<ReleaseInfo> {
    const name = repositoryName(repository);
    return this.retry(async () => {
      const response = await this.#octokit.rest.repos.getRelease({ ...repository, release_id: id });
      return parseRelease(response.data);
    }, this.context(`looking up release ${id} of ${name}`, `Release ${id} of ${name}`));
  }

  /** All releases, page by page (100 per page), up to `maxPages` pages. */
  async listReleases(
    repository: Repository,
    options: { maxPages?: number } = {},
  ): Promise<ReleaseInfo[]> {
    const name = repositoryName(repository);
    const perPage = 100;
    const out: ReleaseInfo[] = [];
    for (let page = 1; page <= (options.maxPages ?? 10); page++) {
      const items = await this.retry(async () => {
        const response = await this.#octokit.rest.repos.listReleases({
          ...repository,
          per_page: perPage,
          page,
        });
        return response.data.map(parseRelease);
      }, this.context(`listing the releases of ${name}`, `Repository ${name}`));
      out.push(...items);
      if (items.length < perPage) break;
    }
    return out;
  }

  /**
   * One request for an asset's bytes through the API asset URL (`Accept:
   * application/octet-stream`), following GitHub's redirect to its storage host; `fetch` drops
   * the Authorization header when the redirect leaves the API origin. Errors are raw: the
   * caller retries the whole transfer.
   */
  async openAsset(repository: Repository, assetId: number): Promise<ReadableStream<Uint8Array>> {
    const response = await this.#octokit.request(
      "GET /repos/{owner}/{repo}/releases/assets/{asset_id}",
      {
        ...repository,
        asset_id: assetId,
        headers: { accept: "application/octet-stream" },
        request: { parseSuccessResponseBody: false },
      },
    );
    const body: unknown = response.data;
    if (!(body instanceof ReadableStream)) {
      throw new TypeError(`no response body for asset ${assetId}`);
    }
    return body as ReadableStream<Uint8Array>;
  }
}
