/** The Host and Origin rules of `skills serve --http` (DNS rebinding), as a table. */
import { describe, expect, it } from "vitest";
import { checkOrigin, isLoopbackHost, normalizeOrigin, splitHostHeader } from "../../../src/core/serve/origin.js";
import { isSkillsServe } from "../../../src/core/serve/selfEntry.js";

const LOOPBACK = { loopback: true, port: 8765, allowedOrigins: [] };

describe("checkOrigin on a loopback address", () => {
  it.each([
    ["a client without Origin (curl, the SDK)", { host: "127.0.0.1:8765" }, true],
    ["localhost by name", { host: "localhost:8765" }, true],
    ["IPv6 loopback", { host: "[::1]:8765" }, true],
    ["the server's own page", { host: "127.0.0.1:8765", origin: "http://127.0.0.1:8765" }, true],
    ["its own page by another loopback name", { host: "localhost:8765", origin: "http://localhost:8765" }, true],
  ])("lets %s through", (_what, headers, ok) => {
    expect(checkOrigin(LOOPBACK, headers).ok).toBe(ok);
  });

  it.each([
    ["a rebound name in Host", { host: "evil.example:8765" }, 403, /not this server/],
    [
      "a rebound name in Host and Origin",
      { host: "evil.example:8765", origin: "http://evil.example:8765" },
      403,
      /not this server/,
    ],
    [
      "another site's page",
      { host: "127.0.0.1:8765", origin: "https://evil.example" },
      403,
      /--allow-origin https:\/\/evil.example/,
    ],
    ["a local page on another port", { host: "127.0.0.1:8765", origin: "http://localhost:3000" }, 403, /not allowed/],
    ["a sandboxed iframe (Origin: null)", { host: "127.0.0.1:8765", origin: "null" }, 403, /not allowed/],
    ["no Host header", {}, 400, /no valid Host/],
    ["another port in Host", { host: "127.0.0.1:9999" }, 403, /another port/],
  ])("refuses %s", (_what, headers, status, reason) => {
    const check = checkOrigin(LOOPBACK, headers);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.status).toBe(status);
      expect(check.reason).toMatch(reason);
    }
  });

  it("lets an origin the user allowed through, however it is written", () => {
    const policy = { ...LOOPBACK, allowedOrigins: ["http://localhost:6274/"] };
    expect(checkOrigin(policy, { host: "localhost:8765", origin: "http://LOCALHOST:6274" }).ok).toBe(true);
    expect(checkOrigin(policy, { host: "localhost:8765", origin: "http://localhost:6275" }).ok).toBe(false);
  });
});

describe("checkOrigin on a public address (a token is required there)", () => {
  const policy = { loopback: false, port: 443, allowedOrigins: [] };
  it("accepts any Host and a same-origin page (also behind a TLS proxy)", () => {
    expect(checkOrigin(policy, { host: "skills.internal" }).ok).toBe(true);
    expect(checkOrigin(policy, { host: "skills.internal:8765", origin: "http://skills.internal:8765" }).ok).toBe(true);
    expect(checkOrigin(policy, { host: "skills.internal", origin: "https://skills.internal" }).ok).toBe(true);
    expect(checkOrigin(policy, { host: "skills.internal:8765", origin: "http://skills.internal:9000" }).ok).toBe(false);
  });
  it("refuses a page of another site", () => {
    expect(checkOrigin(policy, { host: "skills.internal", origin: "http://evil.example" }).ok).toBe(false);
  });
});

describe("helpers", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["api.localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["192.168.1.10", false],
    ["localhost.evil.example", false],
  ])("isLoopbackHost(%s) = %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it.each([
    ["localhost:8080", { name: "localhost", port: 8080 }],
    ["[::1]:80", { name: "[::1]", port: 80 }],
    ["Example.COM", { name: "example.com" }],
    ["a b", undefined],
    ["host:port", undefined],
  ])("splitHostHeader(%s)", (value, parts) => {
    expect(splitHostHeader(value)).toEqual(parts);
  });

  it.each([
    ["http://localhost:6274/", "http://localhost:6274"],
    ["https://Example.com", "https://example.com"],
    ["http://example.com/path", undefined],
    ["file:///etc", undefined],
    ["null", undefined],
  ])("normalizeOrigin(%s)", (value, origin) => {
    expect(normalizeOrigin(value)).toBe(origin);
  });
});

describe("isSkillsServe: the .mcp.json entry that starts skills serve itself", () => {
  it.each([
    ["skills", ["serve"], true],
    ["npx", ["-y", "skills", "serve", "--http", "8765"], true],
    ["npx", ["-y", "skillsmith", "serve"], true],
    ["/usr/lib/node_modules/skillsmith/node_modules/.bin/skillsmith", ["serve"], true],
    ["npx", ["skillsmith", "run", "serve"], false],
    ["node", ["/repo/bin/skills.js", "serve"], true],
    ["/repo/node_modules/.bin/skills", ["serve"], true],
    ["skills", ["--debug", "serve"], true],
    ["npx", ["skills", "run", "serve"], false],
    ["npx", ["skills", "tools", "list"], false],
    ["node_modules/.bin/mcp-server-everything", ["stdio"], false],
    ["serve", ["skills"], false],
    ["sh", ["-c", "skills serve"], false],
  ])("%s %j -> %s", (command, args, self) => {
    expect(isSkillsServe(command, args)).toBe(self);
  });
});
