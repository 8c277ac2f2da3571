"""Summarise a folder: the largest files and counts by extension, from two filesystem tools."""
import json
from concurrent.futures import ThreadPoolExecutor

from servers.filesystem import directory_tree, get_file_info

MAX_FILES = 1500


# %% walk the tree (one call) and collect file paths
def collect_files(nodes, prefix, files, dirs):
    for node in nodes:
        path = prefix + "/" + node["name"]
        if node.get("type") == "directory":
            dirs.append(path)
            collect_files(node.get("children") or [], path, files, dirs)
        else:
            files.append(path)


def parse_size(info):
    # get_file_info answers "size: 1234\ncreated: ..." as text
    for line in info.splitlines():
        if line.startswith("size:"):
            return int(line.split(":", 1)[1].strip())
    return 0


def extension(path):
    name = path.rsplit("/", 1)[-1]
    if "." not in name.lstrip("."):
        return "(none)"
    return "." + name.rsplit(".", 1)[-1].lower()


# %% size every file (concurrent calls through the bridge), then aggregate
def run(input):
    root = input["path"].rstrip("/") or "."
    top = int(input.get("top", 5))
    tree = directory_tree(path=root, exclude_patterns=input.get("exclude") or None)
    nodes = json.loads(tree["content"]) if isinstance(tree, dict) else tree
    files, dirs = [], []
    collect_files(nodes, root, files, dirs)
    files = files[:MAX_FILES]

    def size_of(path):
        return path, parse_size(get_file_info(path=path)["content"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        sized = list(pool.map(size_of, files))

    by_ext = {}
    for path, size in sized:
        entry = by_ext.setdefault(extension(path), {"files": 0, "bytes": 0})
        entry["files"] += 1
        entry["bytes"] += size
    largest = sorted(sized, key=lambda item: (-item[1], item[0]))[:top]
    return {
        "path": root,
        "files": len(sized),
        "directories": len(dirs),
        "total_bytes": sum(size for _, size in sized),
        "largest": [{"path": path, "bytes": size} for path, size in largest],
        "by_extension": dict(sorted(by_ext.items(), key=lambda kv: (-kv[1]["files"], kv[0]))),
    }
