/**
 * The cache key of one server's tool list: its resolved config, plus the identity of the executable for stdio
 * servers (real path, size, mtime), so that upgrading a server's package invalidates the cache without starting it.
 */
import { createHash } from "node:crypto";
import { realpath, stat } from "node:fs/promises";
import type { ServerConfig } from "../config.js";

export async function serverCacheKey(config: ServerConfig): Promise<string> {
  const parts: unknown[] = [1, config];
  if (config.type === "stdio" && config.command.includes("/")) {
    try {
      const real = await realpath(config.command);
      const info = await stat(real);
      parts.push(real, info.size, info.mtimeMs);
      // The server's own code is what changes on upgrade; a node bin is a small file next to it.
      for (const arg of config.args) {
        if (!arg.includes("/")) continue;
        const argInfo = await stat(arg).catch(() => undefined);
        if (argInfo?.isFile()) parts.push(arg, argInfo.size, argInfo.mtimeMs);
      }
    } catch {
      parts.push("missing");
    }
  }
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}
