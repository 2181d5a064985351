import assert from "node:assert/strict";
import { repositoryName } from "./types.ts";

Deno.test("repositoryName joins owner and repo with a slash", () => {
  assert.equal(
    repositoryName({ owner: "nodemcu", repo: "nodemcu-firmware" }),
    "nodemcu/nodemcu-firmware",
  );
});
