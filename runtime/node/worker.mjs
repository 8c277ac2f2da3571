// Sandbox worker for TypeScript/JavaScript programs.
//
// Started by the host inside the sandbox (`node worker.mjs`). It opens the bridge on SKILLS_BRIDGE_FD, shares it
// with the SDK runtime through a global symbol, says "ready", then waits for "execute" requests whose code the host
// has already bundled (TS transpiled, SDK imports resolved) into one ES module. A single-use worker runs one program
// and exits; a session worker keeps its namespace (exported top-level names land on globalThis) across executions.
//
// The answer to "execute" is the run's result: the program must not be able to write it for the worker. The
// request's id is random and kept in a local variable of drain(); the answer is serialised and written with
// functions taken here, before any program runs, straight to the bridge fd (not through the Socket object, whose
// prototype a program can patch), and process.binding goes before the program starts (patching the fs binding
// would show the answer on its way out).
import { writeSync } from "node:fs";
import { Socket } from "node:net";

const stringify = JSON.stringify;
const parse = JSON.parse;
const bufferFrom = Buffer.from.bind(Buffer);
const wait = Atomics.wait;
const pause = new Int32Array(new SharedArrayBuffer(4));

const BRIDGE_KEY = Symbol.for("skills.bridge");
const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
const socket = new Socket({ fd, readable: true, writable: true });
socket.setEncoding("utf8");
const pending = new Map();
let nextId = 0;
let buffer = "";

let corked = false;

/** Messages written in the same tick leave in one writev (Promise.all over many tool calls). */
function write(line, callback) {
  if (!corked) {
    corked = true;
    socket.cork();
    process.nextTick(() => {
      corked = false;
      socket.uncork();
    });
  }
  socket.write(line, callback);
}

function send(message) {
  return new Promise((resolve) => write(`${stringify(message)}\n`, resolve));
}

/** The answer to "execute": once the socket's queued lines are out, one write(2) loop on the fd itself. */
async function answer(message) {
  if (socket.writableLength > 0) await new Promise((resolve) => socket.once("drain", resolve));
  const line = bufferFrom(`${stringify(message)}\n`);
  let offset = 0;
  while (offset < line.length) {
    try {
      offset += writeSync(fd, line, offset);
    } catch (error) {
      if (error?.code !== "EAGAIN") return;
      wait(pause, 0, 0, 1);
    }
  }
}

const bridge = {
  request(method, params) {
    nextId += 1;
    const id = nextId;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      write(`${stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  },
};
globalThis[BRIDGE_KEY] = bridge;

// The bridge keeps the worker alive only while something is waiting on it; an idle session worker is held by
// `execute` requests the host may still send, so the socket stays referenced.
socket.on("data", (chunk) => {
  buffer += chunk;
  let end = buffer.indexOf("\n");
  while (end >= 0) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    if (line.trim() !== "") dispatch(parse(line));
    end = buffer.indexOf("\n");
  }
});
socket.on("close", () => process.exit(0));
socket.on("error", () => process.exit(0));

function dispatch(message) {
  if (message.method === "execute") {
    queue.push(message);
    if (!running) void drain();
    return;
  }
  if (message.method !== undefined) {
    if (message.id !== undefined) {
      void send({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "method not found" } });
    }
    return;
  }
  const settle = pending.get(message.id);
  if (settle) {
    pending.delete(message.id);
    settle(message);
  }
}

const queue = [];
let running = false;

async function drain() {
  running = true;
  while (queue.length > 0) {
    const message = queue.shift();
    const reply = await execute(message.params);
    if (message.params.logMarker) {
      // After the program's last output: tells the host the logs are complete (stdout/stderr pipes are synchronous).
      for (const fd of [1, 2]) {
        try {
          writeSync(fd, message.params.logMarker);
        } catch {
          // a closed stream must not lose the result
        }
      }
    }
    await answer({ jsonrpc: "2.0", id: message.id, result: reply });
    if (!message.params.session) process.exit(0);
  }
  running = false;
}

function capture(stream, limit) {
  const original = stream.write;
  const box = { text: "", dropped: 0 };
  stream.write = (chunk, encoding, callback) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const room = limit - box.text.length;
    if (room > 0) box.text += text.slice(0, room);
    box.dropped += Math.max(0, text.length - Math.max(room, 0));
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") done();
    return true;
  };
  box.restore = () => {
    stream.write = original;
  };
  return box;
}

function formatError(error) {
  if (error instanceof Error) {
    const stack = (error.stack ?? "")
      .split("\n")
      .filter((line) => !line.includes("worker.mjs"))
      .join("\n");
    // `fetch failed` says why only in its cause (getaddrinfo EAI_AGAIN ...): the message carries it.
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
    // A ToolError names the host's code the way Python's does ("... [TOOL_CALL_LIMIT]").
    const code = error.name === "ToolError" && typeof error.code === "string" ? ` [${error.code}]` : "";
    return { code: "PROGRAM_ERROR", message: `${error.name}: ${error.message}${cause}${code}`, stack };
  }
  return { code: "PROGRAM_ERROR", message: `the program threw a non-Error value: ${String(error)}` };
}

/**
 * A prefix of `text` whose JSON-string encoding (as JSON.stringify writes it into the reply) takes at most
 * `maxBytes` bytes of UTF-8. Every character takes at least one byte, so dropping as many characters as the
 * encoding is over is enough; when that is most of the text, a proportional cut comes first.
 */
function fitEncoded(text, maxBytes) {
  let preview = text;
  let size = Buffer.byteLength(stringify(preview));
  while (size > maxBytes && preview.length > 0) {
    const over = size - maxBytes;
    let end = over * 2 > preview.length ? Math.floor((preview.length * maxBytes) / size) : preview.length - over;
    // Half a surrogate pair would be escaped as \uXXXX (6 bytes): the cut goes back before it.
    const last = preview.charCodeAt(end - 1);
    if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
    preview = preview.slice(0, Math.max(0, end));
    size = Buffer.byteLength(stringify(preview));
  }
  return preview;
}

/**
 * The reply for the program's value: the value itself, or (when its JSON is over maxBytes, or too large for the
 * reply message) a preview: its first maxBytes characters, cut further until the reply can carry them.
 */
function encodeResult(value, maxBytes, maxReplyBytes) {
  if (value === undefined) return { reply: { bytes: 4, value: null } };
  let text;
  try {
    text = stringify(value);
  } catch (error) {
    return { error: { code: "RESULT_NOT_SERIALIZABLE", message: `the result is not JSON-serialisable: ${error.message}` } };
  }
  if (text === undefined) {
    return {
      error: { code: "RESULT_NOT_SERIALIZABLE", message: `the result is not JSON-serialisable: a ${typeof value}` },
    };
  }
  const bytes = Buffer.byteLength(text);
  const overOutput = maxBytes !== undefined && bytes > maxBytes;
  if (overOutput || (maxReplyBytes !== undefined && bytes > maxReplyBytes)) {
    let preview = overOutput ? text.slice(0, maxBytes) : text;
    if (maxReplyBytes !== undefined) preview = fitEncoded(preview, maxReplyBytes);
    return { reply: { bytes, truncated: { bytes, preview } } };
  }
  return { reply: { bytes, value } };
}

async function runModule(params) {
  // Top-level code reads the run's input as the global `input` (as run(input) and --cells do).
  if (!params.session) globalThis.input = params.input ?? null;
  const url = `data:text/javascript;base64,${Buffer.from(params.code).toString("base64")}`;
  const mod = await import(url);
  if (params.session) {
    for (const [name, value] of Object.entries(mod)) {
      if (name !== "default") globalThis[name] = value;
    }
    return "result" in mod ? await mod.result : undefined;
  }
  if (typeof mod.run === "function") return await mod.run(params.input);
  if ("result" in mod) return await mod.result;
  if ("__skills_result" in mod) return await mod.__skills_result;
  return undefined;
}

async function execute(params) {
  delete process.binding;
  delete process._linkedBinding;
  const started = process.cpuUsage();
  const limit = params.maxLogBytes ?? 1 << 20;
  const out = params.session ? capture(process.stdout, limit) : null;
  const err = params.session ? capture(process.stderr, limit) : null;
  let reply;
  try {
    if (params.cwd) process.chdir(params.cwd);
    const value = await runModule(params);
    const encoded = encodeResult(value, params.maxOutputBytes, params.maxReplyBytes);
    reply = encoded.error ? { ok: false, error: encoded.error } : { ok: true, ...encoded.reply };
  } catch (error) {
    reply = { ok: false, error: formatError(error) };
  } finally {
    out?.restore();
    err?.restore();
  }
  const used = process.cpuUsage(started);
  reply.cpuMs = Math.round((used.user + used.system) / 1000);
  if (params.session) {
    reply.logs = out.text;
    reply.stderr = err.text;
    reply.logsDropped = out.dropped;
    reply.stderrDropped = err.dropped;
  }
  return reply;
}

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});

void send({ jsonrpc: "2.0", method: "ready", params: { pid: process.pid, language: "typescript" } });
