/** Hostile programs: gaining privileges — root, mounts, device nodes, cgroup limits, host IPC and sockets. */
import { existsSync } from "node:fs";
import { expect } from "vitest";
import type { HostileCase } from "./common.js";

export const privileges: HostileCase[] = [
  {
    name: "py: become root, mount a filesystem, make a device node",
    language: "python",
    code: () => `
import ctypes, os
def run(input):
    out = {"uid": os.getuid(), "euid": os.geteuid()}
    for name, attempt in [("setuid0", lambda: os.setuid(0)), ("setgid0", lambda: os.setgid(0)),
                          ("mknod", lambda: os.mknod("/tmp/sda", 0o600 | 0o060000, os.makedev(8, 0))),
                          ("chroot", lambda: os.chroot("/tmp"))]:
        try:
            attempt()
            out[name] = "done"
        except Exception as e:
            out[name] = "refused: " + type(e).__name__
    libc = ctypes.CDLL(None, use_errno=True)
    out["mount"] = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)
    out["mount_errno"] = ctypes.get_errno()
    return out
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      const result = run.result as Record<string, unknown>;
      expect(result.uid).not.toBe(0);
      expect(result.euid).not.toBe(0);
      for (const key of ["setuid0", "setgid0", "mknod", "chroot"]) expect(String(result[key])).toMatch(/^refused/);
      expect(result.mount).toBe(-1);
    },
  },
  {
    name: "py: raise its own cgroup limits and read the host's",
    language: "python",
    code: () => `
import os
def run(input):
    out = {}
    for path in ["/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/pids/pids.max", "/proc/self/cgroup"]:
        try:
            with open(path, "w") as f:
                f.write("max")
            out[path] = "written"
        except Exception as e:
            out[path] = "refused: " + type(e).__name__
    out["sys"] = os.path.exists("/sys/fs/cgroup")
    return out
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(JSON.stringify(run.result)).not.toContain('"written"');
    },
  },
  {
    name: "ts: reach host IPC: /dev/shm, the docker socket, /run",
    language: "typescript",
    code: (h) => `
import { connect } from "node:net";
import { writeFileSync, readdirSync } from "node:fs";
export async function run() {
  const out: Record<string, unknown> = {};
  try { writeFileSync("/dev/shm/skills-escape-${h.abstractName}", "x"); out.shm = "written (sandbox only)"; } catch (e) { out.shm = "refused " + (e as NodeJS.ErrnoException).code; }
  try { out.run = readdirSync("/run"); } catch (e) { out.run = "refused " + (e as NodeJS.ErrnoException).code; }
  out.docker = await new Promise((resolve) => {
    const socket = connect("/var/run/docker.sock");
    socket.on("connect", () => { socket.destroy(); resolve("connected"); });
    socket.on("error", (e) => resolve("refused " + (e as NodeJS.ErrnoException).code));
  });
  return out;
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(existsSync(`/dev/shm/skills-escape-${h.abstractName}`)).toBe(false);
      expect((run.result as { docker: string }).docker).not.toBe("connected");
    },
  },
  {
    name: "py: read the host's kernel and boot secrets (/proc/kcore, /boot, kallsyms addresses)",
    language: "python",
    code: () => `
def run(input):
    out = {}
    for path in ["/proc/kcore", "/boot", "/proc/kallsyms", "/root/.ssh/id_rsa", "/etc/ssh/ssh_host_ed25519_key"]:
        try:
            with open(path, "rb") as f:
                data = f.read(4096)
            out[path] = "read %d bytes, nonzero=%s" % (len(data), any(data))
        except Exception as e:
            out[path] = "refused: " + type(e).__name__
    try:
        out["kallsyms_head"] = open("/proc/kallsyms").read(2000).splitlines()[:5]
    except Exception as e:
        out["kallsyms_head"] = []
    return out
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      const result = run.result as Record<string, string> & { kallsyms_head: string[] };
      for (const path of ["/proc/kcore", "/root/.ssh/id_rsa", "/etc/ssh/ssh_host_ed25519_key"]) {
        expect(result[path]).toMatch(/^refused/);
      }
      // kallsyms may be readable, but the kernel hides the real addresses from the sandbox (kptr_restrict)
      if (result["/proc/kallsyms"]?.startsWith("read")) expect(result.kallsyms_head.length).toBeGreaterThan(0);
      for (const line of result.kallsyms_head) expect(line).toMatch(/^0+ /);
    },
  },
];
