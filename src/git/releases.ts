/** Releases of skills: tags `<name>@<version>` (docs/versioning.md), newest version first. */
import type { SkillRelease } from "../contracts/versioning.js";
import { parseReleaseTag, sortVersionsDescending } from "../core/versioning/tags.js";
import { listTags, type Repo, type TagRecord } from "./repo.js";

function toRelease(record: TagRecord): SkillRelease | undefined {
  const parsed = parseReleaseTag(record.tag);
  if (!parsed) return undefined;
  return { ...parsed, tag: record.tag, commit: record.commit, date: record.date, message: record.message.trim() };
}

function sorted(releases: SkillRelease[]): SkillRelease[] {
  const order = sortVersionsDescending(releases.map((r) => r.version));
  return order.map((version) => releases.find((r) => r.version === version)!);
}

/** The releases of one skill, highest version first. */
export async function releasesOf(repo: Repo, name: string): Promise<SkillRelease[]> {
  const releases = (await listTags(repo, `${name}@*`)).flatMap((record) => {
    const release = toRelease(record);
    return release && release.name === name ? [release] : [];
  });
  return sorted(releases);
}
