/**
 * Who may talk to `skills serve --http`: the Host and Origin checks the MCP spec asks for against DNS rebinding. A
 * web page the user visits can make the browser send requests to 127.0.0.1; after a DNS rebind it even counts as
 * same-origin. So on a loopback address the Host header must name a loopback host, and an Origin header, when a
 * browser sends one, must be the server's own origin or one the user allowed.
 */
import { isIP } from "node:net";

export interface OriginPolicy {
  /** The server listens on a loopback address only. */
  loopback: boolean;
  port: number;
  /** Origins allowed besides the server's own (`--allow-origin`), as `scheme://host[:port]`. */
  allowedOrigins: string[];
}

export type OriginCheck = { ok: true } | { ok: false; status: 400 | 403; reason: string };

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Whether a bind address or a host name is loopback-only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (LOOPBACK_NAMES.has(name) || name.endsWith(".localhost")) return true;
  return isIP(name) === 4 && name.startsWith("127.");
}

/** `host[:port]` of a Host header, split; undefined when it is not one. */
export function splitHostHeader(value: string): { name: string; port?: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  return { name: (match[1] as string).toLowerCase(), ...(match[2] ? { port: Number(match[2]) } : {}) };
}

/** An origin in its comparable form (`http://localhost:8080`), or undefined when it is not one. */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) return undefined;
  return url.origin;
}

export function checkOrigin(policy: OriginPolicy, headers: { host?: string; origin?: string }): OriginCheck {
  const host = headers.host !== undefined ? splitHostHeader(headers.host) : undefined;
  if (!host) return { ok: false, status: 400, reason: "the request has no valid Host header" };
  if (policy.loopback) {
    if (!isLoopbackHost(host.name)) {
      return {
        ok: false,
        status: 403,
        reason: `Host "${headers.host}" is not this server (it listens on a loopback address only)`,
      };
    }
    if (host.port !== undefined && host.port !== policy.port) {
      return { ok: false, status: 403, reason: `Host "${headers.host}" names another port` };
    }
  }
  if (headers.origin === undefined) return { ok: true };
  const origin = normalizeOrigin(headers.origin);
  if (!origin) return { ok: false, status: 403, reason: `Origin "${headers.origin}" is not allowed` };
  const allowed = new Set(policy.allowedOrigins.map((value) => normalizeOrigin(value) ?? value));
  if (allowed.has(origin) || isOwnOrigin(policy, origin, host)) return { ok: true };
  return {
    ok: false,
    status: 403,
    reason: `Origin "${headers.origin}" is not allowed; start the server with --allow-origin ${origin} to allow it`,
  };
}

/** The server's own origin: on loopback, any loopback name with the server's port; else the Host it was reached by. */
function isOwnOrigin(policy: OriginPolicy, origin: string, host: { name: string; port?: number }): boolean {
  const url = new URL(origin);
  const implied = url.protocol === "https:" ? 443 : 80;
  const port = url.port ? Number(url.port) : implied;
  if (policy.loopback) return isLoopbackHost(url.hostname) && port === policy.port;
  return url.hostname.toLowerCase() === host.name && port === (host.port ?? implied);
}
