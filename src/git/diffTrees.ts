/** What differs between two trees (or commits): each file added, deleted, modified or renamed, with git's pairing. */
import type { Repo } from "./repo.js";

export interface FileChange {
  status: "A" | "D" | "M" | "R" | "T";
  /** Repo-relative; for a rename, the new path. */
  path: string;
  /** A rename's old path. */
  from?: string;
}

/** `git diff-tree -r -M` over `paths` (repo-relative folders; none: everything). */
export async function diffTrees(repo: Repo, a: string, b: string, paths: string[] = []): Promise<FileChange[]> {
  const out = await repo.run(["diff-tree", "-r", "-M", "--no-commit-id", "--name-status", "-z", a, b, "--", ...paths]);
  const parts = out.split("\0");
  const changes: FileChange[] = [];
  for (let i = 0; i < parts.length; i++) {
    const status = parts[i];
    if (!status) continue;
    const kind = status[0] as FileChange["status"] | "C" | "U" | "X";
    if (kind === "R" || kind === "C") {
      const from = parts[++i]!;
      const to = parts[++i]!;
      changes.push(kind === "R" ? { status: "R", path: to, from } : { status: "A", path: to });
    } else {
      const path = parts[++i]!;
      changes.push({ status: kind === "U" || kind === "X" ? "M" : kind, path });
    }
  }
  return changes;
}
