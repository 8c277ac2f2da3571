/** Keeps the end of a server's stderr, for error messages. */
export class StderrTail {
  private text = "";

  constructor(private readonly maxChars = 8192) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  /** The last `count` non-empty lines. */
  lines(count = 10): string[] {
    return this.text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "")
      .slice(-count);
  }
}
