/** `PWD` is the shell's working folder, not a password: its path (and the same path under HOME) stays as it is. */
import { describe, expect, test } from "vitest";
import { TokenVault, keyContext, policyFromManifest, scanPii, tokenizeTextOrJson } from "../../../src/core/pii/index.js";

const policy = policyFromManifest(undefined, "default");
const found = (input: unknown) => scanPii(input, policy).map((finding) => finding.type);

describe("shell path variables", () => {
  test.each([
    ["an env dump", "PWD=/home/alice/projects/billing\nOLDPWD=/home/alice/src\nHOME=/home/alice", []],
    ["env as JSON", { PWD: "/work/repo/skills", OLDPWD: "/work/repo", HOME: "/root" }, []],
    ["a JSON field named pwd is a password", { pwd: "Tr0ub4dor&3x" }, ["secret"]],
    ["db_pwd= in text is a password", "db_pwd=K9#mVq2!zLp", ["secret"]],
    ["PASSWORD= in text is a password", "PASSWORD=K9#mVq2!zLp", ["secret"]],
  ])("%s", (_name, input, types) => {
    expect(found(input)).toEqual(types);
  });

  test("only the shell's spelling: PWD and OLDPWD say 'not personal data', pwd stays a password", () => {
    expect(keyContext("PWD")).toEqual({ negative: true });
    expect(keyContext("OLDPWD")).toEqual({ negative: true });
    expect(keyContext("pwd")).toMatchObject({ hint: "secret", secretKind: "password" });
  });

  test("tokenizing an environment dump leaves PWD and HOME as they are", () => {
    const vault = new TokenVault();
    const text = "PWD=/root\nHOME=/root\nAPI_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ0123456789";
    const out = tokenizeTextOrJson(text, policy, vault, () => undefined);
    expect(out).toContain("PWD=/root\nHOME=/root\n");
    expect(out).not.toContain("ghp_0123456789");
  });
});
