/** The description of a new skill (`--description`, or the default): what the Agent Skills specification accepts. */
import { MAX_DESCRIPTION_LENGTH } from "../../core/validate/frontmatter.js";
import { SkillsError } from "../../errors.js";

/** With `claude` (a project on the claude validation profile), that profile's rule on angle brackets applies too. */
export function checkDescription(description: string, claude = false): string {
  const text = description.trim();
  if (text === "")
    throw new SkillsError("INVALID_ARGUMENT", "--description is empty", {
      hint: "say what the skill does and when to use it",
    });
  if (claude && /[<>]/.test(text)) {
    throw new SkillsError(
      "INVALID_ARGUMENT",
      "--description must not contain < or > (profile claude, skills.config.json)",
      {
        hint: "the claude profile refuses descriptions that look like XML tags",
      },
    );
  }
  if (text.length > MAX_DESCRIPTION_LENGTH) {
    throw new SkillsError(
      "INVALID_ARGUMENT",
      `--description is ${text.length} characters; the maximum is ${MAX_DESCRIPTION_LENGTH}`,
      {
        hint: "keep the description short; put details in the SKILL.md body",
      },
    );
  }
  return text;
}
