"""Runtime of the generated SDK: calls MCP tools through the host's bridge.

The host hands the sandboxed program one UNIX socket on the fd named by SKILLS_BRIDGE_FD (default 3). Each message
is one line of UTF-8 JSON-RPC 2.0. `call_tool` is synchronous and thread-safe: many threads may call at once; one
reader thread dispatches responses by id. `call_tool_async` does the same for asyncio code (asyncio is only imported
when it is used). Stdlib only, and it avoids even `json` and `threading` (which pull in `re`, `enum`,
`collections`, ...): it uses their C cores `_json` and `_thread` directly, so a worker starts a few ms sooner.

Typed for `mypy --strict`. Annotations naming `typing` are written as strings and `typing` is imported only for the
type checker (TYPE_CHECKING below is False when the program runs): importing it would cost the start-up time the
paragraph above saves.
"""

import _thread
import errno
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NoReturn

    JsonRpcMessage = dict[str, Any]
    Handler = Callable[[Any, Any], None]
    Callback = Callable[[JsonRpcMessage], None]

try:
    import _json

    # The encoder's string escaper; typeshed does not declare it, so it is looked up rather than imported by name.
    _encode_string: "Callable[[str], str]" = getattr(_json, "encode_basestring")

    class _DecodeContext:
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__
        memo: "dict[str, Any]" = {}

    _scan: "Callable[[str, int], tuple[Any, int]]" = getattr(_json, "make_scanner")(_DecodeContext())

    def _not_serializable(value: object) -> "NoReturn":
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")

    def _encoder() -> "Callable[[object, int], tuple[str, ...]]":
        # A fresh markers dict per call: circular references are detected, and calls from threads do not share it.
        encoder: "Callable[[object, int], tuple[str, ...]]" = getattr(_json, "make_encoder")(
            {}, _not_serializable, _encode_string, None, ":", ",", False, False, False
        )
        return encoder

    # Built once at import so an incompatible _json (other Python) falls back to the json module.
    _probe = _encoder()

    def dumps(value: object) -> str:
        """Compact JSON, UTF-8 kept, NaN/Infinity refused (like json.dumps(..., allow_nan=False))."""
        if isinstance(value, str):
            return _encode_string(value)
        return "".join(_encoder()(value, 0))

    def loads(text: "str | bytes | bytearray") -> "Any":
        if isinstance(text, (bytes, bytearray)):
            text = text.decode()
        start = len(text) - len(text.lstrip())
        try:
            value, end = _scan(text, start)
        except StopIteration as error:
            raise ValueError(f"Expecting value: char {error.value}") from None
        if text[end:].strip():
            raise ValueError(f"Extra data: char {end}")
        return value

except (ImportError, AttributeError, TypeError):  # an interpreter without the C accelerator
    import json as _json_module

    def dumps(value: object) -> str:
        return _json_module.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

    def loads(text: "str | bytes | bytearray") -> "Any":
        return _json_module.loads(text)

__all__ = ["ToolError", "call_tool", "call_tool_async", "get_bridge"]

_DEFAULT_FD = 3


class ToolError(Exception):
    """A tool call failed: the server reported an error, or the host refused the call.

    `code` is TOOL_ERROR for an error the tool itself reported, otherwise the host's code (TOOL_NOT_DECLARED,
    TOOL_ARGS_INVALID, TOOL_CALL_LIMIT, TOOL_CALL_FAILED, BRIDGE_CLOSED, ...)."""

    def __init__(
        self,
        message: str,
        code: str = "TOOL_ERROR",
        server: "str | None" = None,
        tool: "str | None" = None,
        data: "Any" = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.server = server
        self.tool = tool
        self.data = data

    def __str__(self) -> str:
        where = f"{self.server}/{self.tool}: " if self.server and self.tool else ""
        # The host's refusals already start with "server/tool: "; say it once.
        if where and self.message.startswith(where):
            where = ""
        return f"{where}{self.message} [{self.code}]"


class Bridge:
    """NDJSON JSON-RPC 2.0 over one fd. Requests from the host (e.g. "execute") go to registered handlers."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        stat = os.fstat(fd)
        # What the fd is: a program may close it, and the next file it opens (a traceback opens the source it quotes)
        # then gets the same number.
        self._fd_identity = (stat.st_dev, stat.st_ino)
        self._write_lock = _thread.allocate_lock()
        self._pending_lock = _thread.allocate_lock()
        self._pending: "dict[object, Callback]" = {}
        self._next_id = 0
        self._handlers: "dict[str, Handler]" = {}
        self._closed = False
        self.on_close: "Callable[[], None] | None" = None
        _thread.start_new_thread(self._read_loop, ())

    def handle(self, method: str, handler: "Handler") -> None:
        """Register handler(params, id) for requests/notifications the host sends (called on the reader thread)."""
        self._handlers[method] = handler

    def send(self, message: "JsonRpcMessage") -> None:
        data = (dumps(message) + "\n").encode()
        with self._write_lock:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]

    def respond(self, id: object, result: object = None, error: "JsonRpcMessage | None" = None) -> None:
        message: "JsonRpcMessage" = {"jsonrpc": "2.0", "id": id}
        if error is not None:
            message["error"] = error
        else:
            message["result"] = result
        self.send(message)

    def notify(self, method: str, params: object) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: object, callback: "Callback") -> int:
        """Send a request; callback(response) runs on the reader thread when the answer arrives."""
        with self._pending_lock:
            if self._closed:
                raise ToolError("the bridge to the host is closed", "BRIDGE_CLOSED")
            self._next_id += 1
            id = self._next_id
            self._pending[id] = callback
        try:
            self.send({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        except BaseException:
            with self._pending_lock:
                self._pending.pop(id, None)
            raise
        return id

    def request_sync(self, method: str, params: object) -> "JsonRpcMessage":
        done = _thread.allocate_lock()
        done.acquire()
        box: "list[JsonRpcMessage]" = []

        def callback(response: "JsonRpcMessage") -> None:
            box.append(response)
            done.release()

        self.request(method, params, callback)
        done.acquire()
        return box[0]

    def _dispatch(self, message: "JsonRpcMessage") -> None:
        if "method" in message:
            handler = self._handlers.get(message["method"])
            if handler is not None:
                handler(message.get("params"), message.get("id"))
            elif "id" in message:
                self.respond(message["id"], error={"code": -32601, "message": "method not found"})
            return
        with self._pending_lock:
            callback = self._pending.pop(message.get("id"), None)
        if callback is not None:
            callback(message)

    def _read_loop(self) -> None:
        buffer = b""
        host_gone = True
        try:
            while True:
                chunk = os.read(self._fd, 1 << 16)
                if not self._still_bridge():
                    # The program closed the fd (it may name another file now): what was read is not the host's,
                    # and the host is still there. As for EBADF below.
                    host_gone = False
                    break
                if not chunk:
                    break
                buffer += chunk
                while True:
                    end = buffer.find(b"\n")
                    if end < 0:
                        break
                    line, buffer = buffer[:end], buffer[end + 1 :]
                    if line.strip():
                        self._dispatch(loads(line))
        except OSError as error:
            # EBADF: the program closed the bridge's fd itself, and the host is still there. Pending calls fail, and
            # the worker meets the closed fd when it answers and says so on stderr. Only the end of the stream (the
            # host gone) ends the worker at once: were it ended here too, which one happened first would decide
            # whether the run's error says why.
            host_gone = error.errno != errno.EBADF
        finally:
            self._close(host_gone)

    def _still_bridge(self) -> bool:
        try:
            stat = os.fstat(self._fd)
        except OSError:
            return False
        return (stat.st_dev, stat.st_ino) == self._fd_identity

    def _close(self, host_gone: bool) -> None:
        with self._pending_lock:
            self._closed = True
            pending, self._pending = self._pending, {}
        closed: "JsonRpcMessage" = {"error": {"code": -32600, "message": "the bridge to the host is closed", "data": {"code": "BRIDGE_CLOSED"}}}
        for callback in pending.values():
            callback(closed)
        if host_gone and self.on_close is not None:
            self.on_close()


_bridge_lock = _thread.allocate_lock()


class _ForkedBridge(Bridge):
    """The bridge in a child made by os.fork(): it has no reader thread and would race its parent for answers."""

    def __init__(self) -> None:
        pass

    def request(self, method: str, params: object, callback: "Callback") -> int:
        raise ToolError("tool calls from a forked child process are not supported; use threads", "BRIDGE_FORKED")

    def request_sync(self, method: str, params: object) -> "JsonRpcMessage":
        raise ToolError("tool calls from a forked child process are not supported; use threads", "BRIDGE_FORKED")


def _after_fork_in_child() -> None:
    if getattr(sys, "_skills_bridge", None) is not None:
        setattr(sys, "_skills_bridge", _ForkedBridge())


if not getattr(sys, "_skills_fork_hook", False):
    setattr(sys, "_skills_fork_hook", True)
    os.register_at_fork(after_in_child=_after_fork_in_child)


_NO_BRIDGE = (
    "no tool bridge on fd %d: the generated SDK calls tools only inside a sandbox started by "
    "`skills run`, `skills exec` or `skills test`"
)


def _is_socket(fd: int) -> bool:
    try:
        return (os.fstat(fd).st_mode & 0o170000) == 0o140000
    except OSError:
        return False


def get_bridge(server: "str | None" = None, tool: "str | None" = None) -> Bridge:
    """The process-wide bridge. Shared through `sys` so that every copy of this module (the worker's and the SDK's
    servers/_runtime.py) talks through one reader."""
    bridge: "Bridge | None" = getattr(sys, "_skills_bridge", None)
    if bridge is not None:
        return bridge
    with _bridge_lock:
        bridge = getattr(sys, "_skills_bridge", None)
        if bridge is None:
            fd = int(os.environ.get("SKILLS_BRIDGE_FD", _DEFAULT_FD))
            if not _is_socket(fd):
                raise ToolError(_NO_BRIDGE % fd, "BRIDGE_UNAVAILABLE", server, tool)
            bridge = Bridge(fd)
            setattr(sys, "_skills_bridge", bridge)
        return bridge


def _text_of(content: "list[Any]") -> str:
    return "\n".join(item.get("text", "") for item in content if isinstance(item, dict) and item.get("type") == "text")


def unwrap(server: str, tool: str, response: "JsonRpcMessage") -> "Any":
    """JSON-RPC response -> value: host refusal or isError -> ToolError; structuredContent; all-text content parsed
    as JSON (one item -> the value, several -> a list); else the content list."""
    error = response.get("error")
    if error is not None:
        data = error.get("data") or {}
        raise ToolError(error.get("message", "tool call failed"), data.get("code", "TOOL_CALL_FAILED"), server, tool, data)
    result = response.get("result") or {}
    content = result.get("content") or []
    if result.get("isError"):
        raise ToolError(_text_of(content) or "the tool reported an error", "TOOL_ERROR", server, tool)
    if result.get("structuredContent") is not None:
        return result["structuredContent"]
    if content and all(isinstance(item, dict) and item.get("type") == "text" for item in content):
        try:
            values = [loads(item.get("text", "")) for item in content]
        except ValueError:
            return content
        return values[0] if len(values) == 1 else values
    return content


def _params(server: str, tool: str, args: "dict[str, Any] | None") -> "dict[str, Any]":
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ToolError(f"arguments must be a dict, got {type(args).__name__}", "TOOL_ARGS_INVALID", server, tool)
    return {"server": server, "tool": tool, "arguments": args}


def call_tool(server: str, tool: str, args: "dict[str, Any] | None" = None) -> "Any":
    """Call `tool` of `server` with `args` (a dict) and return the unwrapped result. Raises ToolError."""
    params = _params(server, tool, args)
    response = get_bridge(server, tool).request_sync("tools/call", params)
    return unwrap(server, tool, response)


async def call_tool_async(server: str, tool: str, args: "dict[str, Any] | None" = None) -> "Any":
    """Awaitable call_tool: many calls may be in flight at once (asyncio.gather)."""
    import asyncio

    loop = asyncio.get_running_loop()
    future: "asyncio.Future[JsonRpcMessage]" = loop.create_future()

    def settle(response: "JsonRpcMessage") -> None:
        if not future.done():
            future.set_result(response)

    def callback(response: "JsonRpcMessage") -> None:
        loop.call_soon_threadsafe(settle, response)

    params = _params(server, tool, args)
    get_bridge(server, tool).request("tools/call", params, callback)
    return unwrap(server, tool, await future)
