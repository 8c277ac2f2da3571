"""Sandbox worker for Python programs (imported by worker.py, so its bytecode can be cached).

Started by the host inside the sandbox (`python3 -S -I worker.py`). It loads the runtime, says "ready" on the
bridge, then waits for "execute" requests. A single-use worker runs one program and exits; a session worker keeps
one namespace across executions like a kernel. The program's result travels back as the response to "execute".
"""

import _thread
import os
import resource  # every run sets its rlimits: imported while the worker starts, not while a run waits
import sys
import time

import _runtime

# The generated SDK ships its own copy as servers/_runtime.py; both copies must share this bridge and ToolError.
sys.modules["servers._runtime"] = _runtime

_jobs = []
# A binary semaphore: released when a job may be waiting (list.append/pop are atomic).
_jobs_signal = _thread.allocate_lock()
_jobs_signal.acquire()


def _on_execute(params, id):
    _jobs.append((id, params))
    try:
        _jobs_signal.release()
    except RuntimeError:  # already released: the main loop will see the job anyway
        pass


def _on_close():
    os._exit(0)


class _CappedWriter:
    """stdout/stderr of a session execution: kept in memory up to `limit` characters."""

    def __init__(self, limit):
        self.parts = []
        self.size = 0
        self.limit = limit
        self.dropped = 0

    def write(self, text):
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        return "".join(self.parts)


def _apply_rlimits(limits):
    if not limits:
        return
    names = {
        "cpuSeconds": resource.RLIMIT_CPU,
        "fileBytes": resource.RLIMIT_FSIZE,
        "openFiles": resource.RLIMIT_NOFILE,
        "processes": resource.RLIMIT_NPROC,
    }
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for key, which in names.items():
        value = limits.get(key)
        if value is None:
            continue
        soft, hard = resource.getrlimit(which)
        # CPU: SIGXCPU at the budget, SIGKILL a second later (as the host's prlimit does).
        new_hard = value + 1 if which == resource.RLIMIT_CPU else value
        if hard != resource.RLIM_INFINITY:
            value, new_hard = min(value, hard), min(new_hard, hard)
        resource.setrlimit(which, (value, new_hard))


def _format_error(error, program=None):
    import linecache
    import traceback

    if program is not None:
        # A program given as text has no file: registered here, its traceback shows its lines like a file's.
        filename, code = program
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__ and not f.filename.endswith("worker.py")]
    stack = "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(type(error), error))
    return {"code": "PROGRAM_ERROR", "message": f"{type(error).__name__}: {error}", "stack": stack}


def _await(value):
    if hasattr(value, "__await__") and hasattr(value, "send"):
        import asyncio

        return asyncio.run(value)
    return value


_MISSING = object()
_TOP_LEVEL_AWAIT = 0x2000  # ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, without importing ast


def _run_program(params, namespace):
    code = params["code"]
    filename = params.get("filename") or "<program>"
    session = params.get("session", False)
    last = None
    if session:
        import ast

        tree = ast.parse(code, filename)
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        body = compile(tree, filename, "exec", flags=_TOP_LEVEL_AWAIT)
    else:
        body = compile(code, filename, "exec", flags=_TOP_LEVEL_AWAIT)
    before = namespace.get("result", _MISSING)
    if not session:
        # Top-level code reads the run's input as `input` (as run(input) and --cells do). The builtin input() could
        # read nothing here anyway: the sandbox's stdin is closed. builtins.input still names it.
        namespace["input"] = params.get("input")
    _await(eval(body, namespace))
    if last is not None:
        value = _await(eval(compile(last, filename, "eval", flags=_TOP_LEVEL_AWAIT), namespace))
        if value is not None:
            return value
    if not session and callable(namespace.get("run")):
        return _await(namespace["run"](params.get("input")))
    value = namespace.get("result")
    # A session cell's value is its last expression, else `result` when this cell (re)assigned it.
    return None if session and value is before else value


def _fit_encoded(text, max_bytes):
    """A prefix of `text` whose JSON-string encoding (as _runtime.dumps writes it into the reply) takes at most
    `max_bytes` bytes of UTF-8. Every character takes at least one byte, so dropping as many characters as the
    encoding is over is enough; when that is most of the text, a proportional cut comes first."""
    preview = text
    size = len(_runtime.dumps(preview).encode())
    while size > max_bytes and preview:
        over = size - max_bytes
        end = len(preview) * max_bytes // size if over * 2 > len(preview) else len(preview) - over
        preview = preview[: max(0, end)]
        size = len(_runtime.dumps(preview).encode())
    return preview


def _encode_result(value, max_bytes, max_reply_bytes=None):
    """The reply for the program's value: the value itself, or (when its JSON is over max_bytes, or too large for
    the reply message) a preview: its first max_bytes characters, cut further until the reply can carry them."""
    try:
        text = _runtime.dumps(value)
    except (TypeError, ValueError) as error:
        return None, {
            "code": "RESULT_NOT_SERIALIZABLE",
            "message": f"the result is not JSON-serialisable: {error}",
        }
    size = len(text.encode())
    over_output = max_bytes is not None and size > max_bytes
    if over_output or (max_reply_bytes is not None and size > max_reply_bytes):
        preview = text[:max_bytes] if over_output else text
        if max_reply_bytes is not None:
            preview = _fit_encoded(preview, max_reply_bytes)
        return {"bytes": size, "truncated": {"bytes": size, "preview": preview}}, None
    return {"bytes": size, "value": value}, None


def _execute(params, namespace):
    session = params.get("session", False)
    saved = sys.stdout, sys.stderr
    out = err = None
    if session:
        limit = params.get("maxLogBytes", 1 << 20)
        out, err = _CappedWriter(limit), _CappedWriter(limit)
        sys.stdout, sys.stderr = out, err
    paths = [p for p in (params.get("sdk"), *(params.get("paths") or [])) if p and p not in sys.path]
    sys.path[1:1] = paths
    started = time.process_time()
    try:
        _apply_rlimits(params.get("rlimits"))
        value = _run_program(params, namespace)
        reply, error = _encode_result(value, params.get("maxOutputBytes"), params.get("maxReplyBytes"))
        reply = {"ok": True, **reply} if error is None else {"ok": False, "error": error}
    except SystemExit as error:
        reply = {"ok": False, "error": {"code": "PROGRAM_ERROR", "message": f"the program called exit({error.code})"}}
    except BaseException as error:  # noqa: BLE001 - every program failure becomes the run's error
        filename = params.get("filename") or "<program>"
        program = (filename, params["code"]) if filename.startswith("<") else None
        reply = {"ok": False, "error": _format_error(error, program)}
    finally:
        sys.stdout, sys.stderr = saved
    reply["cpuMs"] = round((time.process_time() - started) * 1000, 3)
    if session:
        reply["logs"], reply["stderr"] = out.text(), err.text()
        reply["logsDropped"], reply["stderrDropped"] = out.dropped, err.dropped
    return reply


def main():
    bridge = _runtime.get_bridge()
    bridge.on_close = _on_close
    bridge.handle("execute", _on_execute)
    bridge.notify("ready", {"pid": os.getpid(), "language": "python"})
    namespace = {"__name__": "__skill__", "__builtins__": __builtins__}
    while True:
        while not _jobs:
            _jobs_signal.acquire()
        id, params = _jobs.pop(0)
        if params.get("cwd"):
            os.chdir(params["cwd"])
        reply = _execute(params, namespace)
        for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
            try:
                stream.flush()
                if params.get("logMarker"):
                    os.write(fd, params["logMarker"].encode())
            except Exception:  # noqa: BLE001 - a closed stream must not lose the result
                pass
        try:
            bridge.respond(id, reply)
        except (TypeError, ValueError) as error:
            bridge.respond(id, {"ok": False, "error": {"code": "RESULT_NOT_SERIALIZABLE", "message": str(error)}})
        if not params.get("session", False):
            os._exit(0)

