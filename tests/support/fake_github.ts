/**
 * A fake GitHub REST API for the release layer's tests: two `Deno.serve` servers on 127.0.0.1
 * (port 0), the API and a separate "storage" origin that asset downloads are redirected to, as
 * GitHub redirects to its release-assets host. Because the storage is another origin, `fetch`
 * drops the Authorization header on the redirect, and the storage records what it received.
 *
 * Serves: latest release, release by tag, by id, the release list (paginated), asset metadata
 * and asset bytes (302 to storage, or 200 directly), 404s, 401 for a wrong token, and injected
 * faults: 5xx, primary and secondary rate limits with GitHub's headers, truncated downloads.
 * Release and asset bodies are checked against GitHub's OpenAPI description in
 * fake_github_openapi_test.ts.
 */

import {
  errorJson,
  type FakeAsset,
  type FakeRelease,
  type FakeReleaseSpec,
  type FakeSite,
  rateLimitHeaders,
  releaseEventJson,
  releaseJson,
  sha256Hex,
} from "./fake_github_json.ts";

export type { FakeAssetSpec, FakeReleaseSpec } from "./fake_github_json.ts";

/** Options for {@link FakeGitHub.start}. */
export interface FakeGitHubOptions {
  /** Repository owner, `nodemcu` by default. */
  owner?: string;
  /** Repository name, `nodemcu-firmware` by default. */
  repo?: string;
  /** The releases. */
  releases?: FakeReleaseSpec[];
  /** Makes the repository private: requests need this token (and see drafts with it). */
  token?: string;
  /** `"redirect"` (302 to storage, default) or `"direct"` (200 with the bytes). */
  delivery?: "redirect" | "direct";
  /** Puts the presented token into 401 messages, like a careless proxy would. */
  echoTokenInErrors?: boolean;
}

/** A fault served instead of the normal answer. */
export type FakeFault =
  | { kind: "status"; status: 500 | 502 | 503 | 504 }
  | { kind: "secondary-rate-limit"; retryAfterSeconds: number }
  | { kind: "primary-rate-limit"; resetEpochSeconds: number; status?: 403 | 429 }
  | { kind: "truncate"; keepBytes: number };

/** `"api"`: JSON endpoints; `"download"`: requests for asset bytes. */
export type FaultTarget = "api" | "download";

/** A request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  accept: string | null;
  authorization: string | null;
}

interface QueuedFault {
  target: FaultTarget;
  fault: FakeFault;
  remaining: number;
}

const DOCS = "https://docs.github.com/rest";

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** Bytes with a Content-Length that promises more than the body delivers. */
function truncated(bytes: Uint8Array, keep: number, name: string): Response {
  const part = bytes.slice(0, Math.min(keep, bytes.length));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(part);
      controller.close();
    },
  });
  return new Response(body, {
    headers: octetHeaders(bytes.length, name),
  });
}

function octetHeaders(length: number, name: string): Record<string, string> {
  return {
    "content-type": "application/octet-stream",
    "content-length": String(length),
    "content-disposition": `attachment; filename=${encodeURIComponent(name)}`,
  };
}

/** The fake GitHub; close it (or `await using`) when done. */
export class FakeGitHub implements AsyncDisposable {
  readonly apiRequests: RecordedRequest[] = [];
  readonly storageRequests: RecordedRequest[] = [];
  readonly releases: FakeRelease[];
  #options: FakeGitHubOptions;
  #site: FakeSite;
  #api: Deno.HttpServer<Deno.NetAddr>;
  #storage: Deno.HttpServer<Deno.NetAddr>;
  #faults: QueuedFault[] = [];
  #signatures = new Map<string, FakeAsset>();
  #remaining = new Map<string, number>();

  private constructor(options: FakeGitHubOptions, releases: FakeRelease[]) {
    this.#options = options;
    this.releases = releases;
    const serve = (handler: (request: Request) => Response | Promise<Response>) =>
      Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
    this.#storage = serve((request) => this.#serveStorage(request));
    this.#api = serve((request) => this.#serveApi(request));
    this.#site = {
      apiUrl: `http://127.0.0.1:${this.#api.addr.port}`,
      owner: options.owner ?? "nodemcu",
      repo: options.repo ?? "nodemcu-firmware",
    };
  }

  /** Starts both servers. */
  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    let nextId = 1000;
    const releases: FakeRelease[] = [];
    for (const [index, spec] of (options.releases ?? []).entries()) {
      const assets: FakeAsset[] = [];
      for (const a of spec.assets ?? []) {
        const sha256 = await sha256Hex(a.bytes);
        const wrong = await sha256Hex(new TextEncoder().encode(`not ${a.name}`));
        const digestField = a.digest === "none"
          ? null
          : `sha256:${a.digest === "wrong" ? wrong : sha256}`;
        assets.push({ ...a, id: a.id ?? ++nextId, sha256, digestField });
      }
      const createdAt = spec.createdAt ?? new Date(Date.UTC(2024, 0, 1 + index)).toISOString();
      releases.push({ ...spec, id: spec.id ?? ++nextId, createdAt, assets, fetches: 0 });
    }
    return new FakeGitHub(options, releases);
  }

  /** API base URL to pass as `baseUrl`. */
  get apiUrl(): string {
    return this.#site.apiUrl;
  }

  /** Origin of the storage server. */
  get storageUrl(): string {
    return `http://127.0.0.1:${this.#storage.addr.port}`;
  }

  /** The release with this tag. */
  release(tag: string): FakeRelease {
    const found = this.releases.find((r) => r.tag === tag);
    if (found === undefined) throw new Error(`fake has no release ${tag}`);
    return found;
  }

  /** The asset with this name (in any release). */
  asset(name: string): FakeAsset {
    const found = this.releases.flatMap((r) => r.assets).find((a) => a.name === name);
    if (found === undefined) throw new Error(`fake has no asset ${name}`);
    return found;
  }

  /** The `release` event payload for a release, as GitHub sent it when it was published. */
  releaseEvent(tag: string, action = "published"): Record<string, unknown> {
    return releaseEventJson(this.#site, this.release(tag), action);
  }

  /** Serves `fault` instead of the next `times` answers to `target` requests. */
  inject(target: FaultTarget, fault: FakeFault, options: { times?: number } = {}): void {
    this.#faults.push({ target, fault, remaining: options.times ?? 1 });
  }

  /** Faults not yet served. */
  get pendingFaults(): number {
    return this.#faults.reduce((n, f) => n + f.remaining, 0);
  }

  /** Stops both servers. */
  async close(): Promise<void> {
    await Promise.all([this.#api.shutdown(), this.#storage.shutdown()]);
  }

  /** Same as {@link FakeGitHub.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Takes the next fault for `target`, unless `here` says it is served elsewhere. */
  #takeFault(target: FaultTarget, here: (f: FakeFault) => boolean = () => true) {
    const queued = this.#faults.find((f) => f.target === target && f.remaining > 0);
    if (queued === undefined || !here(queued.fault)) return undefined;
    queued.remaining--;
    if (queued.remaining === 0) this.#faults.splice(this.#faults.indexOf(queued), 1);
    return queued.fault;
  }

  /** `"ok"`, `"anonymous"` or `"bad"` for the request's Authorization header. */
  #auth(request: Request): { state: "ok" | "anonymous" | "bad"; presented: string } {
    const header = request.headers.get("authorization");
    if (header === null) return { state: "anonymous", presented: "" };
    const presented = header.replace(/^(token|bearer)\s+/i, "");
    const wanted = this.#options.token;
    return { state: wanted === undefined || presented === wanted ? "ok" : "bad", presented };
  }

  #limitHeaders(who: string, authenticated: boolean): Record<string, string> {
    const limit = authenticated ? 5000 : 60;
    const remaining = (this.#remaining.get(who) ?? limit) - 1;
    this.#remaining.set(who, remaining);
    return rateLimitHeaders(limit, remaining, Math.floor(Date.now() / 1000) + 3600);
  }

  #faultResponse(fault: FakeFault, headers: Record<string, string>): Response | undefined {
    switch (fault.kind) {
      case "status": {
        // GitHub documents a different body for 503 (code, message, documentation_url)
        const body = fault.status === 503
          ? { code: "unavailable", message: "Service Unavailable", documentation_url: DOCS }
          : errorJson("Server Error", fault.status, DOCS);
        return json(body, fault.status, headers);
      }
      case "secondary-rate-limit":
        return json(
          errorJson(
            "You have exceeded a secondary rate limit. Please wait a few minutes before you " +
              "try again.",
            403,
            `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          ),
          403,
          { ...headers, "retry-after": String(fault.retryAfterSeconds) },
        );
      case "primary-rate-limit":
        return json(
          {
            message: "API rate limit exceeded for 127.0.0.1. (But here's the good news: " +
              "Authenticated requests get a higher rate limit. Check out the documentation " +
              "for more details.)",
            documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api`,
          },
          fault.status ?? 403,
          rateLimitHeaders(Number(headers["x-ratelimit-limit"]), 0, fault.resetEpochSeconds),
        );
      case "truncate":
        return undefined;
    }
  }

  #serveApi(request: Request): Response {
    const url = new URL(request.url);
    const accept = request.headers.get("accept");
    this.apiRequests.push({
      method: request.method,
      path: url.pathname + url.search,
      accept,
      authorization: request.headers.get("authorization"),
    });
    const auth = this.#auth(request);
    const headers = this.#limitHeaders(auth.presented || "anonymous", auth.state === "ok");
    const wantsBytes = accept === "application/octet-stream";
    // in redirect mode a truncation happens at the storage, which serves the bytes
    const fault = this.#takeFault(
      wantsBytes ? "download" : "api",
      (f) => f.kind !== "truncate" || this.#options.delivery === "direct",
    );
    if (fault !== undefined && fault.kind !== "truncate") {
      return this.#faultResponse(fault, headers)!;
    }
    if (auth.state === "bad") {
      const shown = this.#options.echoTokenInErrors === true ? ` (${auth.presented})` : "";
      return json(errorJson(`Bad credentials${shown}`, 401), 401, headers);
    }
    const prefix = `/repos/${this.#site.owner}/${this.#site.repo}/releases`;
    const privateRepo = this.#options.token !== undefined;
    if (
      request.method !== "GET" || !url.pathname.startsWith(prefix) ||
      (privateRepo && auth.state !== "ok")
    ) {
      return this.#notFound(headers);
    }
    const rest = url.pathname.slice(prefix.length);
    const canSeeDrafts = auth.state === "ok" && auth.presented !== "";
    return this.#route(rest, url, { headers, canSeeDrafts, wantsBytes, fault }) ??
      this.#notFound(headers);
  }

  #notFound(headers: Record<string, string>): Response {
    return json(errorJson("Not Found", 404, `${DOCS}/releases/releases`), 404, headers);
  }

  #serve(release: FakeRelease): Record<string, unknown> {
    return releaseJson(this.#site, release, release.fetches++);
  }

  #route(
    rest: string,
    url: URL,
    context: {
      headers: Record<string, string>;
      canSeeDrafts: boolean;
      wantsBytes: boolean;
      fault: FakeFault | undefined;
    },
  ): Response | undefined {
    const { headers, canSeeDrafts } = context;
    const visible = this.releases.filter((r) => canSeeDrafts || r.draft !== true);
    const newest = [...visible].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    if (rest === "/latest") {
      const latest = newest.find((r) => r.draft !== true && r.prerelease !== true);
      return latest === undefined ? undefined : json(this.#serve(latest), 200, headers);
    }
    if (rest.startsWith("/tags/")) {
      const tag = decodeURIComponent(rest.slice("/tags/".length));
      const found = visible.find((r) => r.tag === tag && r.draft !== true);
      return found === undefined ? undefined : json(this.#serve(found), 200, headers);
    }
    if (rest === "" || rest === "/") return this.#list(newest, url, headers);
    const byId = /^\/(\d+)$/.exec(rest);
    if (byId !== null) {
      const found = visible.find((r) => r.id === Number(byId[1]));
      return found === undefined ? undefined : json(this.#serve(found), 200, headers);
    }
    const assetId = /^\/assets\/(\d+)$/.exec(rest);
    if (assetId !== null) return this.#asset(Number(assetId[1]), visible, context);
    return undefined;
  }

  #list(newest: FakeRelease[], url: URL, headers: Record<string, string>): Response {
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30) || 30);
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const last = Math.max(1, Math.ceil(newest.length / perPage));
    const items = newest.slice((page - 1) * perPage, page * perPage).map((r) => this.#serve(r));
    const link = (p: number, rel: string) =>
      `<${this.apiUrl}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = page < last ? [link(page + 1, "next"), link(last, "last")] : [];
    return json(items, 200, links.length > 0 ? { ...headers, link: links.join(", ") } : headers);
  }

  #asset(
    id: number,
    visible: FakeRelease[],
    context: { headers: Record<string, string>; wantsBytes: boolean; fault: FakeFault | undefined },
  ): Response | undefined {
    const release = visible.find((r) => r.assets.some((a) => a.id === id));
    const asset = release?.assets.find((a) => a.id === id);
    if (release === undefined || asset === undefined) return undefined;
    if (!context.wantsBytes) {
      const served = releaseJson(this.#site, release, release.fetches);
      const body = (served["assets"] as Array<Record<string, unknown>>).find((a) => a["id"] === id);
      return body === undefined ? undefined : json(body, 200, context.headers);
    }
    if (this.#options.delivery === "direct") {
      const fault = context.fault;
      if (fault?.kind === "truncate") return truncated(asset.bytes, fault.keepBytes, asset.name);
      return new Response(asset.bytes.slice(), {
        headers: octetHeaders(asset.bytes.length, asset.name),
      });
    }
    const signature = crypto.randomUUID();
    this.#signatures.set(signature, asset);
    const location = `${this.storageUrl}/release-assets/${asset.id}?sig=${signature}`;
    return new Response(null, { status: 302, headers: { ...context.headers, location } });
  }

  #serveStorage(request: Request): Response {
    const url = new URL(request.url);
    this.storageRequests.push({
      method: request.method,
      path: url.pathname + url.search,
      accept: request.headers.get("accept"),
      authorization: request.headers.get("authorization"),
    });
    const asset = this.#signatures.get(url.searchParams.get("sig") ?? "");
    if (asset === undefined || url.pathname !== `/release-assets/${asset.id}`) {
      return new Response("<Error><Code>AccessDenied</Code></Error>", {
        status: 403,
        headers: { "content-type": "application/xml" },
      });
    }
    const fault = this.#takeFault("download");
    if (fault?.kind === "truncate") return truncated(asset.bytes, fault.keepBytes, asset.name);
    return new Response(asset.bytes.slice(), {
      headers: octetHeaders(asset.bytes.length, asset.name),
    });
  }
}
