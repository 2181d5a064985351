/**
 * Keeps the fake GitHub honest: every kind of body it serves is validated against GitHub's own
 * OpenAPI description (`npm:@octokit/openapi`), using the response schema the description
 * declares for that operation and status (or its shared error responses), with `$ref`s
 * resolved from the description. Validation is stricter than the description in one way:
 * objects may not carry properties the description does not declare, so a misspelt field in
 * the fake (`digests`) fails here.
 */

import assert from "node:assert/strict";
import { Ajv, type ValidateFunction } from "ajv";
import description from "@octokit/openapi/generated/api.github.com.json" with { type: "json" };
import { FakeGitHub } from "./fake_github.ts";

type Json = Record<string, unknown>;

const spec = description as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
};
const BASE = "https://openapi.nodeflash.test/api.github.com.json";
const ROOTS = ["release", "release-asset", "basic-error"];
const REPO = "/repos/nodemcu/nodemcu-firmware/releases";

/** Names of component schemas reachable from `roots` through `$ref`s. */
function reachable(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    const ref = (node as Json)["$ref"];
    if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
      const name = ref.slice("#/components/schemas/".length);
      if (!seen.has(name)) {
        seen.add(name);
        visit(spec.components.schemas[name]);
      }
    }
    Object.values(node).forEach(visit);
  };
  roots.forEach((r) => visit({ $ref: `#/components/schemas/${r}` }));
  return seen;
}

/** A copy in which objects with declared properties allow no others (outside combinators). */
function strict(node: unknown, inCombinator = false): unknown {
  if (Array.isArray(node)) return node.map((n) => strict(n, inCombinator));
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    const combinator = key === "allOf" || key === "anyOf" || key === "oneOf";
    out[key] = key === "example" || key === "examples" ? value : strict(value, combinator);
  }
  if ("properties" in out && !("additionalProperties" in out) && !inCombinator) {
    out["additionalProperties"] = false;
  }
  return out;
}

/** Formats used by the reachable schemas. */
function formatsUsed(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => formatsUsed(n, out));
  else if (typeof node === "object" && node !== null) {
    const format = (node as Json)["format"];
    if (typeof format === "string") out.add(format);
    Object.values(node).forEach((n) => formatsUsed(n, out));
  }
  return out;
}

const STRING_FORMATS: Record<string, (value: string) => boolean> = {
  "uri": (v) => URL.canParse(v),
  "date-time": (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
    !Number.isNaN(Date.parse(v)),
  "email": (v) => /^[^@\s]+@[^@\s]+$/.test(v),
};
const NUMBER_FORMATS: Record<string, (value: number) => boolean> = {
  "int64": (v) => Number.isSafeInteger(v),
  "int32": (v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31,
};
const FORMATS = { ...STRING_FORMATS, ...NUMBER_FORMATS };

/** Builds validators for response schemas, looked up by path, method and status. */
function makeValidator() {
  const names = reachable(ROOTS);
  const schemas: Json = {};
  for (const name of names) schemas[name] = strict(spec.components.schemas[name]);
  const responseSchemas: Json = {};
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  for (const [name, validate] of Object.entries(STRING_FORMATS)) {
    ajv.addFormat(name, { type: "string", validate });
  }
  for (const [name, validate] of Object.entries(NUMBER_FORMATS)) {
    ajv.addFormat(name, { type: "number", validate });
  }
  const cache = new Map<string, ValidateFunction>();
  let added = false;
  const compile = (key: string, schema: unknown): ValidateFunction => {
    const known = cache.get(key);
    if (known !== undefined) return known;
    responseSchemas[key] = strict(schema);
    if (!added) {
      ajv.addSchema({ $id: BASE, components: { schemas }, responses: responseSchemas });
      added = true;
    }
    const validate = ajv.compile({ $ref: `${BASE}#/responses/${encodeURIComponent(key)}` });
    cache.set(key, validate);
    return validate;
  };
  /** The JSON schema GitHub declares for `status` of `GET path`, or a shared error response. */
  const schemaFor = (path: string, status: number, fallback: string): Json | undefined => {
    let response = spec.paths[path]?.["get"]?.responses[String(status)] ??
      spec.components.responses[fallback];
    const ref = response?.["$ref"];
    if (typeof ref === "string") {
      response = spec.components.responses[ref.slice("#/components/responses/".length)];
    }
    const content = response?.["content"] as Record<string, { schema: Json }> | undefined;
    return content?.["application/json"]?.schema;
  };
  return {
    formats: formatsUsed(schemas),
    schemaFor,
    /** Validates a body; returns the error list (empty when valid). */
    check(path: string, status: number, body: unknown, fallback = "not_found"): string[] {
      const schema = schemaFor(path, status, fallback);
      if (schema === undefined) return [`no JSON schema for ${status} of GET ${path}`];
      const validate = compile(`${path} ${status} ${fallback}`, schema);
      if (validate(body)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    },
    /** Validates against a component schema by name. */
    checkComponent(name: string, body: unknown): string[] {
      const validate = compile(`component ${name}`, { $ref: `#/components/schemas/${name}` });
      return validate(body)
        ? []
        : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    },
  };
}

const validator = makeValidator();
const bytes = (text: string) => new TextEncoder().encode(text);

async function startFake(token?: string): Promise<FakeGitHub> {
  return await FakeGitHub.start({
    ...(token === undefined ? {} : { token }),
    releases: [
      {
        tag: "v1",
        assets: [
          { name: "nodemcu-float.bin", bytes: bytes("float"), label: "Float build" },
          { name: "old.bin", bytes: bytes("old"), digest: "none" },
          { name: "uploading.bin", bytes: bytes("up"), openForReleaseFetches: 100 },
        ],
      },
      { tag: "v2-rc", prerelease: true },
      { tag: "v3", draft: true, assets: [{ name: "draft.bin", bytes: bytes("d") }] },
    ],
  });
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, redirect: "manual" });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}

Deno.test("the validator knows every format the schemas use", () => {
  assert.deepEqual([...validator.formats].filter((f) => !(f in FORMATS)), []);
});

Deno.test("the validator rejects what GitHub's description rejects", () => {
  const asset = {
    url: "https://api.github.com/repos/o/r/releases/assets/1",
    browser_download_url: "https://github.com/o/r/releases/download/v1/a.bin",
    id: 1,
    node_id: "RA_1",
    name: "a.bin",
    label: null,
    state: "uploaded",
    content_type: "application/octet-stream",
    size: 1,
    digest: null,
    download_count: 0,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    uploader: null,
  };
  assert.deepEqual(validator.checkComponent("release-asset", asset), []);
  const { digest: _, ...withoutDigest } = asset;
  assert.notDeepEqual(
    validator.checkComponent("release-asset", withoutDigest),
    [],
    "digest is required",
  );
  assert.notDeepEqual(validator.checkComponent("release-asset", { ...asset, digest: 5 }), []);
  assert.notDeepEqual(validator.checkComponent("release-asset", { ...asset, state: "done" }), []);
  assert.notDeepEqual(validator.checkComponent("release-asset", { ...asset, digests: null }), []);
  assert.notDeepEqual(
    validator.checkComponent("release-asset", { ...asset, created_at: "yesterday" }),
    [],
  );
});

Deno.test("release bodies (latest, by tag, by id, list, draft, event) match the description", async () => {
  await using gh = await startFake("tok-value");
  const auth = { authorization: "token tok-value" };
  const cases: Array<[string, string, Record<string, string>]> = [
    ["/repos/{owner}/{repo}/releases/latest", `${REPO}/latest`, auth],
    ["/repos/{owner}/{repo}/releases/tags/{tag}", `${REPO}/tags/v2-rc`, auth],
    ["/repos/{owner}/{repo}/releases/{release_id}", `${REPO}/${gh.release("v3").id}`, auth],
    ["/repos/{owner}/{repo}/releases", `${REPO}?per_page=100`, auth],
  ];
  for (const [path, url, headers] of cases) {
    const response = await get(gh.apiUrl + url, headers);
    assert.equal(response.status, 200, url);
    assert.deepEqual(validator.check(path, 200, response.body), [], url);
  }
  const event = gh.releaseEvent("v1") as { release: unknown };
  assert.deepEqual(validator.checkComponent("release", event.release), []);
});

Deno.test("asset metadata (uploaded, open, no digest) and the 302 match the description", async () => {
  await using gh = await startFake();
  const path = "/repos/{owner}/{repo}/releases/assets/{asset_id}";
  for (const name of ["nodemcu-float.bin", "old.bin", "uploading.bin"]) {
    const response = await get(`${gh.apiUrl}${REPO}/assets/${gh.asset(name).id}`);
    assert.equal(response.status, 200);
    assert.deepEqual(validator.check(path, 200, response.body), [], name);
  }
  const redirect = await get(`${gh.apiUrl}${REPO}/assets/${gh.asset("old.bin").id}`, {
    accept: "application/octet-stream",
  });
  assert.equal(redirect.status, 302);
  assert.ok(spec.paths[path]?.["get"]?.responses["302"], "the description declares the 302");
  assert.ok(redirect.headers.get("location")?.startsWith(gh.storageUrl));
});

Deno.test("error bodies (404, 401, rate limits, 5xx) match the description", async () => {
  await using gh = await startFake("tok-value");
  const auth = { authorization: "token tok-value" };
  const latest = "/repos/{owner}/{repo}/releases/latest";
  const notFound = await get(`${gh.apiUrl}${REPO}/tags/v9`, auth);
  assert.equal(notFound.status, 404);
  assert.deepEqual(
    validator.check("/repos/{owner}/{repo}/releases/tags/{tag}", 404, notFound.body),
    [],
  );
  const unauthorized = await get(`${gh.apiUrl}${REPO}/latest`, { authorization: "token nope" });
  assert.equal(unauthorized.status, 401);
  assert.deepEqual(validator.check(latest, 401, unauthorized.body, "requires_authentication"), []);
  gh.inject("api", { kind: "secondary-rate-limit", retryAfterSeconds: 60 });
  gh.inject("api", { kind: "primary-rate-limit", resetEpochSeconds: 1_900_000_000 });
  gh.inject("api", { kind: "primary-rate-limit", resetEpochSeconds: 1_900_000_000, status: 429 });
  for (const status of [403, 403, 429]) {
    const limited = await get(`${gh.apiUrl}${REPO}/latest`, auth);
    assert.equal(limited.status, status);
    assert.deepEqual(validator.check(latest, status, limited.body, "forbidden"), []);
  }
  for (
    const [status, fallback] of [[500, "internal_error"], [503, "service_unavailable"]] as const
  ) {
    gh.inject("api", { kind: "status", status });
    const failed = await get(`${gh.apiUrl}${REPO}/latest`, auth);
    assert.equal(failed.status, status);
    assert.deepEqual(validator.check(latest, status, failed.body, fallback), []);
  }
});
