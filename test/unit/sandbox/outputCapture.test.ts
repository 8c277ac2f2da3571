import { describe, expect, test } from "vitest";
import { OutputCapture } from "../../../src/sandbox/worker.js";

const MARK = "\u0000END-abcdef\u0000";
const capture = (limit = 100) => new OutputCapture(limit, Buffer.from(MARK));

describe("OutputCapture", () => {
  test("keeps text up to the limit and counts the rest", () => {
    const c = capture(5);
    c.push(Buffer.from("hello world"));
    c.end();
    expect(c.text()).toBe("hello");
    expect(c.dropped).toBe(6);
  });

  test("the end marker completes the capture and is never part of the text", async () => {
    const c = capture();
    c.push(Buffer.from(`one\ntwo\n${MARK}`));
    await c.complete;
    expect(c.text()).toBe("one\ntwo\n");
    // Whatever comes after (a worker's dying traceback) is still kept.
    c.push(Buffer.from("after"));
    expect(c.text()).toBe("one\ntwo\nafter");
  });

  test("a marker split across reads is still found, and its first part never shows as output", async () => {
    const c = capture();
    c.push(Buffer.from(`abc${MARK.slice(0, 4)}`));
    // Read before the rest of the marker arrived (the host waits only so long for it): no part of it leaks.
    expect(c.text()).toBe("abc");
    c.push(Buffer.from(MARK.slice(4)));
    await c.complete;
    expect(c.text()).toBe("abc");
  });

  test("holds back only what could start the marker", () => {
    const c = capture();
    c.push(Buffer.from("abc\u0000"));
    expect(c.text()).toBe("abc");
    c.push(Buffer.from("x"));
    expect(c.text()).toBe("abc\u0000x");
    c.push(Buffer.from("tail END-"));
    expect(c.text()).toBe("abc\u0000xtail END-");
  });

  test("without a marker the stream end completes it with everything held back", async () => {
    const c = capture();
    c.push(Buffer.from("abc\u0000END"));
    c.end();
    await c.complete;
    expect(c.text()).toBe("abc\u0000END");
  });
});
