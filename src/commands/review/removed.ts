/**
 * A removed skill that was released may still be called by its releases (`skills run name@1.2.0`, another skill's
 * SKILL.md, a workflow): every line of the head that names `<name>@<version>` (or `@latest`) blocks the removal.
 */
import type { ReviewFinding, SkillRelease } from "../../contracts/versioning.js";
import { grepTree, type Repo } from "../../git/repo.js";

export async function removedSkillFindings(
  repo: Repo,
  headTree: string,
  name: string,
  path: string,
  releases: SkillRelease[],
): Promise<ReviewFinding[]> {
  if (releases.length === 0) {
    return [
      {
        code: "SKILL_REMOVED",
        severity: "info",
        message: `${name} was removed (never released)`,
        file: null,
        line: null,
      },
    ];
  }
  const versions = releases.map((r) => r.version);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const reference = new RegExp(`(?:^|[^\\w-])${escaped}@(latest|\\^?~?\\d[\\w.+-]*)`);
  const findings: ReviewFinding[] = [];
  for (const [file, line, text] of await grepTree(repo, headTree, `${name}@`)) {
    if (file.startsWith(`${path}/`)) continue;
    const match = reference.exec(text);
    if (!match) continue;
    findings.push({
      code: "REMOVED_SKILL_REFERENCED",
      severity: "error",
      message: `${name} is removed, but this line names ${name}@${match[1]} (released: ${versions.slice(0, 5).join(", ")}); keep the skill, or change the reference first`,
      file,
      line,
    });
  }
  findings.push({
    code: "SKILL_REMOVED",
    severity: findings.length > 0 ? "info" : "warning",
    message: `${name} was removed; its releases (${versions.slice(0, 5).join(", ")}${versions.length > 5 ? ", …" : ""}) stay as tags, so \`skills run ${name}@${versions[0]}\` still works`,
    file: null,
    line: null,
  });
  return findings;
}
