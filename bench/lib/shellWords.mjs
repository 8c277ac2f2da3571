// The words of a shell command line as sh would pass them (quotes, backslashes; no expansion): enough for the
// command lines the README gives, which the CLI bench runs without a shell in between.
export function shellWords(line) {
  const words = [];
  let word = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && '"\\$`'.includes(line[i + 1])) i++;
        text += line[i];
      }
      if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
      word = (word ?? "") + text;
    } else if (c === "\\") {
      word = (word ?? "") + (line[++i] ?? "");
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The command lines in the fenced sh blocks of a markdown section (comments and continuation lines joined). */
export function sectionCommands(markdown, heading) {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const commands = [];
  for (const block of section.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const text = block[1].replace(/\\\n\s*/g, " ");
    for (const raw of text.split("\n")) {
      const line = raw.replace(/\s+#\s.*$/, "").trim();
      if (line && !line.startsWith("#")) commands.push(line);
    }
  }
  return commands;
}
