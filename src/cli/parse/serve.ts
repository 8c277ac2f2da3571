/** Options of `skills serve`: the HTTP transport, its token and origins, session idle time. */
import type { ServeHttpOptions } from "../../commands/serve/serve.js";
import { isLoopbackHost } from "../../core/serve/origin.js";
import { SkillsError } from "../../errors.js";
import type { RawOptions } from "../commandSpec.js";
import { allStrings, lastString } from "./values.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParsedServeOptions {
  http?: ServeHttpOptions;
  idleTimeoutMs?: number;
}

export function parseServeOptions(options: RawOptions, env: NodeJS.ProcessEnv): ParsedServeOptions {
  const idleTimeoutMs = parseIdleTimeout(lastString(options.idleTimeout));
  const port = lastString(options.http);
  const host = lastString(options.host);
  const tokenEnv = lastString(options.tokenEnv);
  const origins = allStrings(options.allowOrigin) ?? [];
  if (port === undefined) {
    const httpOnly = [
      host !== undefined && "--host",
      tokenEnv !== undefined && "--token-env",
      origins.length > 0 && "--allow-origin",
      options.stateless === true && "--stateless",
    ].filter(Boolean);
    if (httpOnly.length > 0) {
      throw new SkillsError(
        "USAGE",
        `${httpOnly.join(", ")} only apply${httpOnly.length === 1 ? "s" : ""} with --http`,
        {
          hint: "add --http <port> to serve over HTTP (stdio, the default, has one client: the process that started it)",
        },
      );
    }
    return idleTimeoutMs !== undefined ? { idleTimeoutMs } : {};
  }
  const address = host ?? "127.0.0.1";
  const token = tokenEnv !== undefined ? readToken(tokenEnv, env) : undefined;
  if (!isLoopbackHost(address) && token === undefined) {
    throw new SkillsError("USAGE", `--host ${address} would let other machines run code here without a token`, {
      hint: "pass --token-env <VAR> with a long random token in that variable, or keep the default --host 127.0.0.1",
    });
  }
  for (const origin of origins) {
    if (!/^https?:\/\/[^/?#\s]+\/?$/.test(origin)) {
      throw new SkillsError("INVALID_ARGUMENT", `--allow-origin "${origin}" is not an origin`, {
        hint: "give scheme://host[:port], e.g. --allow-origin http://localhost:6274",
      });
    }
  }
  const http: ServeHttpOptions = {
    port: parsePort(port),
    host: address,
    ...(token !== undefined ? { token } : {}),
    ...(origins.length > 0 ? { allowedOrigins: origins } : {}),
    ...(options.stateless === true ? { stateless: true } : {}),
  };
  return { http, ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}) };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new SkillsError("INVALID_ARGUMENT", `--http needs a port number (0-65535), got "${value}"`, {
      hint: "e.g. --http 8765 (0 picks a free port and prints it)",
    });
  }
  return port;
}

/** The token is read here and handed on; it is never printed, logged or put into an error. */
function readToken(name: string, env: NodeJS.ProcessEnv): string {
  if (!ENV_NAME.test(name)) {
    throw new SkillsError("INVALID_ARGUMENT", `--token-env takes the name of an environment variable, not "${name}"`, {
      hint: "e.g. export SKILLS_TOKEN=$(openssl rand -hex 32) and pass --token-env SKILLS_TOKEN",
    });
  }
  const token = env[name];
  if (token === undefined || token.trim() === "") {
    throw new SkillsError("USAGE", `the environment variable ${name} (--token-env) is not set or empty`, {
      hint: `set it to a long random token, e.g. export ${name}=$(openssl rand -hex 32)`,
    });
  }
  return token.trim();
}

function parseIdleTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1000 || ms > 7 * 24 * 3600 * 1000) {
    throw new SkillsError("INVALID_ARGUMENT", `--idle-timeout must be milliseconds from 1000 up, got "${value}"`, {
      hint: "e.g. --idle-timeout 600000 (10 minutes)",
    });
  }
  return ms;
}
