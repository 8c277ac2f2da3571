/**
 * Whether a regular expression can take exponential time on a near-miss: a group repeated without bound whose body
 * can itself match in many ways because it holds nothing mandatory, only atoms that repeat or may be absent (`(a+)+`,
 * `(\d+\s?)*`, `(?:[a-z]+,?){2,}`). JavaScript's engine backtracks through every split, so 30 characters can stop the
 * host for minutes, and `skills serve` validates every client's input in one process. A body with a mandatory atom
 * (`([a-z0-9-]+\.)+`) splits one way only and passes. Not a proof of safety: overlapping alternatives (`(a|a)+`) and
 * separators that the repeated part also matches (`(.*a)+`) are not caught. Pure.
 */

interface Item {
  min: number;
  unbounded: boolean;
  /** A group's alternatives; undefined for an atom. */
  body?: Item[][];
}

export function hasExponentialBacktracking(source: string): boolean {
  let at = 0;
  let risky = false;

  const quantifier = (): { min: number; unbounded: boolean } => {
    const char = source[at];
    let result = { min: 1, unbounded: false };
    if (char === "*" || char === "+" || char === "?") {
      at += 1;
      result = { min: char === "+" ? 1 : 0, unbounded: char !== "?" };
    } else if (char === "{") {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
      if (!match) return result;
      at += match[0].length;
      result = { min: Number(match[1]), unbounded: match[2] !== undefined && match[3] === "" };
    } else return result;
    if (source[at] === "?") at += 1; // lazy: the same paths, tried in another order
    return result;
  };

  const flexible = (item: Item): boolean =>
    item.min === 0 || item.unbounded || (item.body?.some((alt) => alt.length > 0 && alt.every(flexible)) ?? false);
  const repeats = (item: Item): boolean => item.unbounded || (item.body?.some((alt) => alt.some(repeats)) ?? false);

  const alternatives = (): Item[][] => {
    const alts: Item[][] = [[]];
    while (at < source.length && source[at] !== ")") {
      const char = source[at]!;
      if (char === "|") {
        at += 1;
        alts.push([]);
        continue;
      }
      let body: Item[][] | undefined;
      let zeroWidth = false;
      if (char === "\\") {
        at += 2;
        if (/[pPu]/.test(source[at - 1] ?? "") && source[at] === "{") at = source.indexOf("}", at) + 1 || source.length;
      } else if (char === "[") {
        at += 1;
        while (at < source.length && source[at] !== "]") at += source[at] === "\\" ? 2 : 1;
        at += 1;
      } else if (char === "(") {
        at += 1;
        const prefix = /^\?(?:[:=!]|<[=!]|<[^>]*>)/.exec(source.slice(at));
        if (prefix) {
          zeroWidth = /^\?(?:[=!]|<[=!])/.test(prefix[0]);
          at += prefix[0].length;
        }
        body = alternatives();
        at += 1; // ")"
      } else {
        at += 1;
        if (char === "^" || char === "$") zeroWidth = true;
      }
      const { min, unbounded } = quantifier();
      const item: Item = { min: zeroWidth ? 0 : min, unbounded, ...(body ? { body } : {}) };
      if (body && unbounded && body.some((alt) => alt.length > 0 && alt.every(flexible) && alt.some(repeats))) {
        risky = true;
      }
      alts[alts.length - 1]!.push(item);
    }
    return alts;
  };

  while (at < source.length) {
    alternatives();
    at += 1; // an unbalanced ")" (the pattern compiled, so there is none)
  }
  return risky;
}
