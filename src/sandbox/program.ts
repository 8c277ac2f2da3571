/** Turns a RunRequest into what a worker executes: source text (Python) or one bundled module (TS/JS). */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { SkillsError } from "../errors.js";
import type { SkillLanguage } from "../contracts/skill.js";
import type { ToolInfo } from "../contracts/tools.js";
import { bundleProgram } from "./bundle.js";
import { ensureSdk } from "./sdk.js";

export interface PreparedProgram {
  code: string;
  /** File name for tracebacks, as the program sees it. */
  filename: string;
  /** Host folder holding the SDK (its basename is the hash under /sdk). */
  sdkDir: string;
}

const bundles = new Map<string, string>();
const MAX_CACHED_BUNDLES = 256;

export async function loadSource(request: {
  code?: string;
  entryFile?: string;
  skillDir?: string;
}): Promise<{ code: string; filename: string }> {
  if (request.code !== undefined) return { code: request.code, filename: request.entryFile ?? "<program>" };
  if (!request.entryFile) {
    throw new SkillsError("INVALID_ARGUMENT", "a run needs either code or entryFile", {
      hint: "pass code, or skillDir + entryFile",
    });
  }
  const path = request.skillDir ? resolve(request.skillDir, request.entryFile) : resolve(request.entryFile);
  try {
    return { code: await readFile(path, "utf8"), filename: request.entryFile };
  } catch {
    throw new SkillsError("NOT_FOUND", `the entry file ${path} does not exist`, {
      file: path,
      hint: "check manifest.yaml's entry",
    });
  }
}

export async function prepareProgram(options: {
  language: SkillLanguage;
  code: string;
  filename: string;
  tools: ToolInfo[];
  skillDir?: string;
  session?: boolean;
}): Promise<PreparedProgram> {
  const sdkDir = await ensureSdk(options.tools);
  const inSandboxName =
    options.skillDir && options.filename !== "<program>" ? join("/skill", options.filename) : options.filename;
  if (options.language === "python") return { code: options.code, filename: inSandboxName, sdkDir };
  const key = createHash("sha256")
    .update(
      `${options.language}\0${sdkDir}\0${options.skillDir ?? ""}\0${options.session ? 1 : 0}\0${options.filename}\0`,
    )
    .update(options.code)
    .digest("hex");
  let code = bundles.get(key);
  if (code === undefined) {
    code = await bundleProgram({
      code: options.code,
      language: options.language,
      sdkDir,
      resolveDir: options.skillDir ?? process.cwd(),
      filename:
        options.filename === "<program>"
          ? `program.${options.language === "javascript" ? "js" : "ts"}`
          : basename(options.filename),
      session: options.session,
    });
    if (bundles.size >= MAX_CACHED_BUNDLES) bundles.delete(bundles.keys().next().value!);
    bundles.set(key, code);
  }
  return { code, filename: inSandboxName, sdkDir };
}
