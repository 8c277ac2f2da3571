/** Line starts of a text, with the line breaks Python's `ast` and TypeScript count (\r\n, \r, \n). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    const breaks = /\r\n|\r|\n/g;
    for (let match = breaks.exec(text); match; match = breaks.exec(text))
      this.starts.push(match.index + match[0].length);
  }

  /** Offset of a 1-based line and 0-based column (UTF-16 units). */
  offset(line: number, column0: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] ?? 0;
    return Math.min(this.text.length, start + column0);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}
