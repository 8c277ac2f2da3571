/** The description of a new skill (`--description`, or the default): what Agent Skills clients accept. */
import { MAX_DESCRIPTION_LENGTH } from "../../core/validate/frontmatter.js";
import { SkillsError } from "../../errors.js";

export function checkDescription(description: string): string {
  const text = description.trim();
  if (text === "")
    throw new SkillsError("INVALID_ARGUMENT", "--description is empty", {
      hint: "say what the skill does and when to use it",
    });
  if (/[<>]/.test(text)) {
    throw new SkillsError("INVALID_ARGUMENT", "--description must not contain < or >", {
      hint: "Agent Skills clients reject descriptions with angle brackets",
    });
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
