/** Releases as tags, picking versions, `name@version` references, ranges and bumps between versions. */
import { describe, expect, it } from "vitest";
import {
  bumpBetween,
  nextVersion,
  parseRange,
  parseReleaseTag,
  parseVersionedRef,
  pickVersion,
  releaseMessage,
} from "../../../src/core/versioning/index.js";

describe("tags and references", () => {
  it.each([
    ["find-todos@1.2.0", { name: "find-todos", version: "1.2.0" }],
    ["a@1.0.0-rc.1", { name: "a", version: "1.0.0-rc.1" }],
    ["a@v1.0.0", undefined],
    ["a@next", undefined],
    ["@1.0.0", undefined],
    ["plain", undefined],
  ])("parseReleaseTag(%s)", (tag, expected) => {
    expect(parseReleaseTag(tag)).toEqual(expected);
  });

  it.each([
    ["find-todos@1.0.0", { name: "find-todos", spec: "1.0.0" }],
    ["find-todos@latest", { name: "find-todos", spec: "latest" }],
    ["find-todos@^1", { name: "find-todos", spec: "^1" }],
    ["skills/find-todos@1.0.0", undefined],
    ["./x@1", undefined],
    [".x@1", undefined],
    ["find-todos", undefined],
    ["a@b@c", undefined],
  ])("parseVersionedRef(%s)", (ref, expected) => {
    expect(parseVersionedRef(ref)).toEqual(expected);
  });

  it.each([
    ["1.0.0..2.0.0", { from: "1.0.0", to: "2.0.0" }],
    ["1.0.0..", { from: "1.0.0" }],
    ["..2.0.0", { to: "2.0.0" }],
    ["1.0.0", { from: "1.0.0" }],
    ["", {}],
  ])("parseRange(%s)", (text, expected) => {
    expect(parseRange(text)).toEqual(expected);
  });
});

describe("pickVersion", () => {
  const versions = ["1.0.0", "1.1.0", "2.0.0", "3.0.0-rc.1"];
  it.each([
    ["1.1.0", "1.1.0"],
    ["latest", "2.0.0"],
    ["^1", "1.1.0"],
    ["1.x", "1.1.0"],
    ["3.0.0-rc.1", "3.0.0-rc.1"],
    ["1.5.0", undefined],
    ["^4", undefined],
    ["nonsense", undefined],
  ])("%s -> %s", (spec, expected) => {
    expect(pickVersion(versions, spec)).toBe(expected);
  });

  it("latest is a pre-release only when there is nothing else", () => {
    expect(pickVersion(["1.0.0-rc.1", "1.0.0-rc.2"], "latest")).toBe("1.0.0-rc.2");
  });
});

describe("bumps between versions", () => {
  it.each([
    ["1.0.0", "2.0.0", "major"],
    ["1.0.0", "1.1.0", "minor"],
    ["1.0.0", "1.0.1", "patch"],
    ["1.0.0", "1.0.0", "none"],
    ["2.0.0", "1.9.9", "none"],
    ["1.0.0", "2.0.0-rc.1", "major"],
    ["1.0.0-rc.1", "1.0.0", "patch"],
    ["0.1.0", "0.2.0", "minor"],
    ["1.0.0", "nonsense", "none"],
  ])("%s -> %s is %s", (from, to, bump) => {
    expect(bumpBetween(from, to)).toBe(bump);
  });

  it("nextVersion", () => {
    expect(nextVersion("1.4.2", "minor")).toBe("1.5.0");
    expect(nextVersion("1.4.2", "major")).toBe("2.0.0");
    expect(nextVersion("0.1.0", "patch")).toBe("0.1.1");
  });
});

describe("releaseMessage", () => {
  it("lists the interface changes with their bumps", () => {
    const text = releaseMessage(
      "weather",
      "2.0.0",
      "1.0.0",
      [
        {
          rule: "new-required-request-parameter",
          direction: "request",
          effect: "breaking",
          bump: "major",
          path: "/input/properties/units",
          field: ["units"],
          message: "input: new required argument `units`",
        },
      ],
      "major",
    );
    expect(text).toBe(
      "weather 2.0.0\n\nInterface changes since 1.0.0 (required bump: major):\n- major: input: new required argument `units` [new-required-request-parameter]\n",
    );
    expect(releaseMessage("weather", "1.0.0", undefined, [], "none")).toBe("weather 1.0.0\n\nFirst release.\n");
    expect(releaseMessage("weather", "1.0.1", "1.0.0", [], "patch")).toBe(
      "weather 1.0.1\n\nNo interface changes since 1.0.0 (required bump: patch).\n",
    );
  });
});

describe("setManifestVersion", () => {
  it("replaces the version's characters and nothing else", async () => {
    const { setManifestVersion } = await import("../../../src/core/versioning/index.js");
    const text =
      "# yaml-language-server: $schema=x\nname: a   # the name\nversion: 1.0.0  # bumped by release\ninput: { type: object }\n";
    expect(setManifestVersion(text, "1.1.0")).toBe(text.replace("1.0.0", "1.1.0"));
    expect(setManifestVersion('name: a\nversion: "1.0.0"\n', "2.0.0")).toBe('name: a\nversion: "2.0.0"\n');
    expect(setManifestVersion("name: a\nversion: '1.0.0'\n", "2.0.0")).toBe("name: a\nversion: '2.0.0'\n");
    expect(setManifestVersion("name: a\nversion: 1.0.0\n", "2.0.0-rc.1")).toBe("name: a\nversion: 2.0.0-rc.1\n");
    expect(setManifestVersion("name: a\n", "2.0.0")).toBeUndefined();
    expect(setManifestVersion("- a\n", "2.0.0")).toBeUndefined();
  });
});
