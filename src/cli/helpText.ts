/**
 * What `--help` prints, after cac has laid it out: no padding at line ends, no "(default: true)" after a negated flag
 * (`--no-color` turns colour off; its default is colour on), examples as commands to type, and one line pointing at
 * the per-command help instead of one line per command.
 */
export interface HelpSection {
  title?: string;
  body: string;
}

export function polishHelp(sections: HelpSection[]): HelpSection[] {
  return sections.map((section) => {
    let body = section.body
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n");
    if (section.title === "Options") body = body.replace(/^(\s+--no-[\w-]+\s.*?)\s*\(default: true\)$/gm, "$1");
    if (section.title === "Examples") {
      body = body
        .split("\n")
        .map((line) => `  $ ${line}`)
        .join("\n");
    }
    if (section.title?.startsWith("For more info")) {
      return {
        body: "Run `skills help <command>` (or `skills <command> --help`) for a command's options and examples.",
      };
    }
    return { ...section, body };
  });
}
