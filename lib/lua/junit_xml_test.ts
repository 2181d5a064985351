import assert from "node:assert/strict";
import { junitXml } from "./junit_xml.ts";

Deno.test("JUnit XML: suites per file, counts, failure and skip messages escaped, output kept", () => {
  const xml = junitXml([
    {
      file: "t_a.lua",
      path: "tests/t_a.lua",
      seconds: 0.25,
      output: "TAP: ok 1 <a> # \n",
      tests: [
        { file: "t_a.lua", name: "<a>", status: "pass", message: "" },
        { file: "t_a.lua", name: "b", status: "skip", message: "SKIP no wifi" },
      ],
    },
    {
      file: "t_b.lua",
      path: "tests/t_b.lua",
      seconds: 1,
      output: "",
      tests: [{
        file: "t_b.lua",
        name: "(restart)",
        status: "fail",
        message: 'the board restarted (PANIC):\n"x" & y',
      }],
    },
  ], { name: "/dev/ttyUSB0" });
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="\/dev\/ttyUSB0" tests="3" failures="1" skipped="1"/,
  );
  assert.match(
    xml,
    /<testsuite name="t_a.lua" tests="2" failures="0" errors="0" skipped="1" time="0.250" file="tests\/t_a.lua">/,
  );
  assert.match(xml, /<testcase classname="t_a.lua" name="&lt;a&gt;"\/>/);
  assert.match(xml, /<skipped message="SKIP no wifi"\/>/);
  assert.match(
    xml,
    /<failure message="the board restarted \(PANIC\):">the board restarted \(PANIC\):\n&quot;x&quot; &amp; y<\/failure>/,
  );
  assert.match(xml, /<system-out>TAP: ok 1 &lt;a&gt; # \n<\/system-out>/);
  assert.equal((xml.match(/<testsuite /g) ?? []).length, 2);
});
