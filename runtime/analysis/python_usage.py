"""Static usage analysis of Python skill files, for `skills compat` and `skills validate`.

Reads {"files": [{"file": ..., "source": ...}]} as JSON on stdin and writes one JSON object on stdout: for every
file its syntax errors, and every call of a function of the generated SDK (`from servers.<server> import <tool>`):
the keyword arguments passed (with literal values), and which fields of the result are read. `ast` only parses:
nothing here imports or runs the code it reads. Positions are 1-based lines and 0-based UTF-16 columns (what
JavaScript counts); the host turns them into its own positions.
"""

import ast
import json
import re
import sys

SCALARS = (str, int, float, bool, type(None))
RUNTIME_CALLS = {"call_tool", "call_tool_async"}
# builtins that look at a value without using its fields
LOOKS = {"len", "bool", "isinstance", "callable", "hasattr", "type", "id"}
# builtins that give back the same items
SAME = {"list", "tuple", "sorted", "reversed", "iter", "set", "frozenset"}
SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Positions:
    """UTF-8 byte columns (what ast gives) to UTF-16 columns (what the host counts)."""

    def __init__(self, source):
        # the line breaks ast counts (str.splitlines knows more, which would shift line numbers)
        self.bytes = [line.encode("utf-8", "surrogatepass") for line in re.split(r"\r\n|\r|\n", source)]

    def col(self, line, byte_col):
        if line < 1 or line > len(self.bytes):
            return byte_col
        prefix = self.bytes[line - 1][:byte_col].decode("utf-8", "replace")
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2

    def start(self, node):
        return [node.lineno, self.col(node.lineno, node.col_offset)]

    def span(self, node):
        return [node.lineno, self.col(node.lineno, node.col_offset), node.end_lineno, self.col(node.end_lineno, node.end_col_offset)]

    def text(self, node):
        if node.lineno != node.end_lineno:
            return None
        raw = self.bytes[node.lineno - 1][node.col_offset:node.end_col_offset]
        return raw.decode("utf-8", "replace")


def literal(node):
    """(True, value) for a scalar literal (also -1), else (False, None)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, SCALARS) and not isinstance(node.value, bytes):
        return True, node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(node.operand, ast.Constant):
        value = node.operand.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True, -value if isinstance(node.op, ast.USub) else value
    return False, None


class FileAnalysis:
    def __init__(self, file, source):
        self.file = file
        self.source = source
        self.pos = Positions(source)
        self.calls = []
        self.imports = []
        self.opaque = set()
        self.bindings = {}  # local name -> ("func", module, name) | ("module", module) | ("package",) | ("runtime",)
        self.parents = {}
        self.scope_of = {}
        self.assigned = {}
        self.loads = {}
        self.seen = set()

    # ---- structure -------------------------------------------------------------------------------------------
    def index(self, tree):
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.assign_scopes(tree, tree)
        for node, scope in list(self.scope_of.items()):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                home = self.resolve_scope(scope, node.id)
                self.loads.setdefault((home, node.id), []).append(node)

    def assign_scopes(self, node, scope):
        """Records the scope each node appears in, and the names each scope assigns (Python's own rule: a name
        assigned anywhere in a function is local to it)."""
        for child in ast.iter_child_nodes(node):
            self.scope_of[child] = scope
            if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
                self.assigned.setdefault(scope, set()).add(child.id)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.assigned.setdefault(scope, set()).add(child.name)
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                a = child.args
                for arg in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]:
                    self.assigned.setdefault(child, set()).add(arg.arg)
            self.assign_scopes(child, child if isinstance(child, SCOPES) else scope)

    def enclosing_scope(self, scope):
        node = self.parents.get(scope)
        while node is not None and not isinstance(node, SCOPES):
            node = self.parents.get(node)
        return node

    def resolve_scope(self, scope, name):
        current = scope
        while current is not None:
            if name in self.assigned.get(current, ()):
                return current
            current = self.enclosing_scope(current)
        return None

    # ---- imports ---------------------------------------------------------------------------------------------
    def collect_imports(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                parts = node.module.split(".")
                if parts[0] != "servers":
                    continue
                for alias in node.names:
                    local = alias.asname or alias.name
                    if len(parts) == 1:
                        if alias.name == "*":
                            continue
                        self.bindings[local] = ("runtime",) if alias.name == "_runtime" else ("module", alias.name)
                    elif parts[1] == "_runtime" or (len(parts) > 2 and parts[2] == "_runtime"):
                        if alias.name in RUNTIME_CALLS:
                            self.bindings[local] = ("generic",)
                    elif alias.name == "*":
                        self.opaque.add(parts[1])
                    else:
                        self.bindings[local] = ("func", parts[1], alias.name)
                        start = [alias.lineno, self.pos.col(alias.lineno, alias.col_offset)]
                        self.imports.append({
                            "module": parts[1],
                            "name": alias.name,
                            "location": start,
                            "span": [start[0], start[1], start[0], start[1] + len(alias.name)],
                        })
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] != "servers":
                        continue
                    if alias.asname:
                        if len(parts) == 1:
                            self.bindings[alias.asname] = ("package",)
                        elif parts[1] == "_runtime":
                            self.bindings[alias.asname] = ("runtime",)
                        else:
                            self.bindings[alias.asname] = ("module", parts[1])
                    else:
                        self.bindings["servers"] = ("package",)

    def binding(self, node):
        """The import a name refers to, unless an assignment in its scope (or an enclosing one) shadows it."""
        if not isinstance(node, ast.Name):
            return None
        found = self.bindings.get(node.id)
        if found is None or self.resolve_scope(self.scope_of.get(node), node.id) is not None:
            return None
        return found

    def target_of(self, func):
        """(target, callee name, callee node) for a call's function expression, or None."""
        if isinstance(func, ast.Name):
            bound = self.binding(func)
            if bound and bound[0] == "func":
                return {"kind": "sdk", "module": bound[1], "name": bound[2]}, func.id, func
            if bound and bound[0] == "generic":
                return {"kind": "generic"}, func.id, func
            return None
        if isinstance(func, ast.Attribute):
            owner = func.value
            bound = self.binding(owner) if isinstance(owner, ast.Name) else None
            if bound and bound[0] == "module":
                return {"kind": "sdk", "module": bound[1], "name": func.attr}, func.attr, func
            if bound and bound[0] == "runtime" and func.attr in RUNTIME_CALLS:
                return {"kind": "generic"}, func.attr, func
            if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
                outer = self.binding(owner.value)
                if outer and outer[0] == "package":
                    if owner.attr == "_runtime":
                        return ({"kind": "generic"}, func.attr, func) if func.attr in RUNTIME_CALLS else None
                    return {"kind": "sdk", "module": owner.attr, "name": func.attr}, func.attr, func
        return None

    def callee_span(self, name, node):
        end = [node.end_lineno, self.pos.col(node.end_lineno, node.end_col_offset)]
        return [end[0], end[1] - len(name), end[0], end[1]]

    # ---- calls -----------------------------------------------------------------------------------------------
    def collect_calls(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                found = self.target_of(node.func)
                if found:
                    self.record_call(node, *found)
            elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(getattr(node, "ctx", None), ast.Load):
                parent = self.parents.get(node)
                if isinstance(parent, ast.Call) and parent.func is node:
                    continue
                if isinstance(parent, ast.Attribute) and parent.value is node:
                    continue
                found = self.target_of(node)
                if found and found[0]["kind"] == "sdk":
                    self.record_reference(node, *found)

    def new_call(self, target, name, callee, direct):
        span = self.callee_span(name, callee)
        call = {
            "target": target,
            "location": [span[0], span[1]],
            "direct": direct,
            "args": [],
            "dynamicArgs": None,
            "reads": [],
            "callee": {"name": name, "location": [span[0], span[1]], "span": span},
        }
        self.calls.append(call)
        return call

    def record_reference(self, node, target, name, callee):
        # a function passed on (`pool.map(get_file_info, paths)`): arguments and result are out of sight
        call = self.new_call(target, name, callee, False)
        call["dynamicArgs"] = self.pos.start(node)
        call["reads"].append({"path": [], "location": self.pos.start(node), "escapes": True})

    def record_call(self, node, target, name, callee):
        call = self.new_call(target, name, callee, True)
        if target["kind"] == "generic":
            self.generic_arguments(node, call)
        else:
            for keyword in node.keywords:
                if keyword.arg is None:
                    call["dynamicArgs"] = self.pos.start(keyword.value)
                    continue
                start = [keyword.lineno, self.pos.col(keyword.lineno, keyword.col_offset)]
                key_span = [start[0], start[1], start[0], start[1] + len(keyword.arg)]
                self.argument(call, [keyword.arg], start, key_span, keyword.value)
            if node.args:
                call["dynamicArgs"] = self.pos.start(node.args[0])
        self.follow(node, call, [])

    def generic_arguments(self, node, call):
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        server = args[0] if len(args) > 0 else keywords.get("server")
        tool = args[1] if len(args) > 1 else keywords.get("tool")
        payload = args[2] if len(args) > 2 else keywords.get("args")
        for key, value in (("server", server), ("tool", tool)):
            ok, text = literal(value) if value is not None else (False, None)
            if ok and isinstance(text, str):
                call["target"][key] = text
        if payload is None:
            return
        if isinstance(payload, ast.Dict):
            self.dict_arguments(call, [], payload)
        else:
            call["dynamicArgs"] = self.pos.start(payload)

    def argument(self, call, path, start, key_span, value):
        ok, constant = literal(value)
        arg = {"path": path, "location": start, "keySpan": key_span, "constant": ok}
        if ok:
            arg["value"] = constant
            arg["valueSpan"] = self.pos.span(value)
        call["args"].append(arg)
        if isinstance(value, ast.Dict):
            self.dict_arguments(call, path, value)

    def dict_arguments(self, call, path, node):
        for key, value in zip(node.keys, node.values):
            if key is None:
                call["dynamicArgs"] = self.pos.start(value)
                continue
            ok, name = literal(key)
            if not ok or not isinstance(name, str):
                call["dynamicArgs"] = self.pos.start(key)
                continue
            span = self.string_span(key, name)
            self.argument(call, path + [name], self.pos.start(key), span, value)

    def string_span(self, node, value):
        """The span of a string literal's text without its quotes, when it is written plainly."""
        text = self.pos.text(node)
        if text is None or len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0] or text[1:-1] != value:
            return None
        span = self.pos.span(node)
        return [span[0], span[1] + 1, span[2], span[3] - 1]

    # ---- following a result ----------------------------------------------------------------------------------
    def read(self, call, path, node, escapes, key=None):
        entry = {"path": path, "location": self.pos.start(node), "escapes": escapes}
        if key:
            entry["key"] = key
        call["reads"].append(entry)

    def bind(self, name_node, call, path):
        if not isinstance(name_node, ast.Name):
            if isinstance(name_node, (ast.Tuple, ast.List)):
                for element in name_node.elts:
                    self.bind(element, call, path + ["*"])
                return
            self.read(call, path, name_node, True)
            return
        home = self.resolve_scope(self.scope_of.get(name_node), name_node.id)
        for load in self.loads.get((home, name_node.id), []):
            self.follow(load, call, path)

    def follow(self, node, call, path):
        key = (id(node), tuple(path), id(call))
        if key in self.seen:
            return
        self.seen.add(key)
        parent = self.parents.get(node)
        if parent is None:
            return
        if isinstance(parent, ast.Await):
            return self.follow(parent, call, path)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return self.subscript(parent, call, path)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            return self.method(parent, call, path)
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                self.bind(target, call, path)
            return
        if isinstance(parent, ast.NamedExpr) and parent.value is node:
            self.bind(parent.target, call, path)
            return self.follow(parent, call, path)
        if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
            return self.bind(parent.target, call, path + ["*"])
        if isinstance(parent, ast.comprehension) and parent.iter is node:
            return self.bind(parent.target, call, path + ["*"])
        if isinstance(parent, ast.Call) and node in parent.args:
            fn = parent.func.id if isinstance(parent.func, ast.Name) else None
            if fn in LOOKS:
                return self.read(call, path, node, False)
            if fn in SAME:
                return self.follow(parent, call, path)
            if fn == "enumerate":
                return self.pairs(parent, call, path)
            return self.read(call, path, node, True)
        if isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.IfExp) and parent.test is not node):
            # `r.get("a") or []`: the value flows on
            self.read(call, path, node, False)
            return self.follow(parent, call, path)
        if isinstance(parent, (ast.Compare, ast.If, ast.While, ast.IfExp, ast.Assert)) or (
            isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
        ):
            return self.read(call, path, node, False)
        if isinstance(parent, ast.Expr):
            return
        # returned, passed on, formatted, computed with: everything below this path may be used
        self.read(call, path, node, True)

    def subscript(self, node, call, path):
        index = node.slice
        ok, value = literal(index)
        if ok and isinstance(value, str):
            span = self.string_span(index, value)
            key = {"span": span, "style": "string"} if span else None
            self.read(call, path + [value], index, False, key)
            return self.follow(node, call, path + [value])
        if (ok and isinstance(value, int)) or isinstance(index, ast.Slice):
            step = path if isinstance(index, ast.Slice) else path + ["*"]
            return self.follow(node, call, step)
        # a key computed at run time: any field below may be read
        self.read(call, path + ["*"], node, True)

    def method(self, node, call, path):
        outer = self.parents.get(node)
        called = isinstance(outer, ast.Call) and outer.func is node
        name = node.attr
        if called and name == "get" and outer.args:
            ok, value = literal(outer.args[0])
            if ok and isinstance(value, str):
                span = self.string_span(outer.args[0], value)
                key = {"span": span, "style": "string"} if span else None
                self.read(call, path + [value], outer.args[0], False, key)
                return self.follow(outer, call, path + [value])
            return self.read(call, path + ["*"], node, True)
        if called and name == "values":
            return self.follow(outer, call, path)
        if called and name == "items":
            return self.pairs(outer, call, path)
        if called and name in ("keys", "count", "index", "__len__"):
            return self.read(call, path, node, False)
        if called and name == "copy":
            return self.follow(outer, call, path)
        self.read(call, path, node, True)

    def pairs(self, node, call, path):
        """`for key, value in r.items()` / `enumerate(r)`: the second name is an item."""
        parent = self.parents.get(node)
        target = None
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
            target = parent.target
        if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2:
            self.read(call, path, node, False)
            return self.bind(target.elts[1], call, path + ["*"])
        self.read(call, path, node, True)


def analyse(file, source):
    result = {"file": file, "diagnostics": [], "calls": [], "imports": [], "opaqueModules": []}
    try:
        tree = ast.parse(source, filename=file)
    except SyntaxError as error:
        line = error.lineno or 1
        result["diagnostics"].append({
            "line": line,
            "column": max(1, error.offset or 1),
            "code": type(error).__name__,
            "message": error.msg,
        })
        return result
    except (ValueError, RecursionError, MemoryError) as error:
        result["diagnostics"].append({"line": 1, "column": 1, "code": "SyntaxError", "message": str(error)})
        return result
    analysis = FileAnalysis(file, source)
    analysis.index(tree)
    analysis.collect_imports(tree)
    analysis.collect_calls(tree)
    result["calls"] = sorted(analysis.calls, key=lambda call: (call["location"][0], call["location"][1]))
    result["imports"] = analysis.imports
    result["opaqueModules"] = sorted(analysis.opaque)
    return result


def main():
    request = json.loads(sys.stdin.read())
    sys.setrecursionlimit(10000)
    files = []
    for item in request.get("files", []):
        try:
            files.append(analyse(item["file"], item["source"]))
        except RecursionError:
            files.append({"file": item["file"], "diagnostics": [{"line": 1, "column": 1, "code": "TooDeep", "message": "the file nests too deeply to analyse"}], "calls": [], "imports": [], "opaqueModules": []})
    sys.stdout.write(json.dumps({"files": files}))


if __name__ == "__main__":
    main()
