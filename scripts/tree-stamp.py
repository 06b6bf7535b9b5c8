#!/usr/bin/env python3
"""Lets a fresh clone reuse the builds of the last clone at the same path (CI's warm run).

Cargo decides that a crate of the workspace is up to date by comparing the modification times of
its source files with those of its last build. A fresh `git clone` gives every file the time of
the clone, so a warm CI recompiled every workspace crate and the runtime's WASM, however little
changed (475-531 s of a warm run on this machine kind). This script records, next to a target
directory, the content of every file of the tree a successful build was made from (a "stamp"),
and in the next clone gives the files whose content equals the stamp an old modification time:
cargo then rebuilds exactly what depends on files that changed.

    tree-stamp.py begin DIR          before a build in target directory DIR: forgets DIR's stamp
                                     (a build that fails half way leaves crates of mixed content)
                                     and notes the tree's content
    tree-stamp.py commit DIR         after that build succeeded: the noted content becomes DIR's
                                     stamp, unless a file changed during the build
    tree-stamp.py restore DIR...     in a fresh clone, before building: every file whose content
                                     equals the stamp of every DIR gets an old modification time;
                                     with a DIR without a stamp, or a stamp made in a clone at
                                     another path (cargo's build scripts record absolute paths),
                                     nothing is touched and everything is rebuilt as before

Why it is sound: a stamp exists only while every crate of the build it describes is compiled
from the stamped content (it is forgotten before each build and written after its success), and
a file is aged only if it has that content in every target directory the run builds in; a file
that changed keeps the clone's new time, so cargo rebuilds what reads it, as always.
"""

import hashlib
import json
import os
import subprocess
import sys

STAMP = "veritas-tree.stamp"
PENDING = "veritas-tree.pending"
# 2000-01-01: older than any build, so an aged file never makes a crate look out of date.
AGED = 946684800


def tree_root():
    out = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=True,
                         capture_output=True, text=True).stdout
    return out.strip()


def tree_content(root):
    """The SHA-256 of every file git tracks or would track (not ignored), by relative path."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True).stdout
    content = {}
    for rel in sorted(set(listed.decode().split("\0")) - {""}):
        path = os.path.join(root, rel)
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as f:
                content[rel] = hashlib.sha256(f.read()).hexdigest()
    return content


def read(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def begin(target):
    os.makedirs(target, exist_ok=True)
    remove(os.path.join(target, STAMP))
    root = tree_root()
    write(os.path.join(target, PENDING), {"root": root, "files": tree_content(root)})


def commit(target):
    pending = read(os.path.join(target, PENDING))
    remove(os.path.join(target, PENDING))
    if pending is None:
        print("tree-stamp: no build began in", target, "(no stamp)", file=sys.stderr)
        return
    # Files the run created meanwhile (a test's output, `__pycache__`) are not what was built:
    # only the noted files must be unchanged.
    now = tree_content(pending["root"])
    if any(now.get(rel) != digest for rel, digest in pending["files"].items()):
        print("tree-stamp: files changed during the build; no stamp for", target)
        return
    write(os.path.join(target, STAMP), pending)


def restore(targets):
    root = tree_root()
    stamps = []
    for target in targets:
        stamp = read(os.path.join(target, STAMP))
        if stamp is None:
            print(f"tree-stamp: {target} has no stamp: every file stays new")
            return
        if stamp["root"] != root:
            print(f"tree-stamp: {target} was built in {stamp['root']}, not here: every file "
                  "stays new")
            return
        stamps.append(stamp["files"])
    aged = changed = 0
    for rel, digest in tree_content(root).items():
        if all(files.get(rel) == digest for files in stamps):
            os.utime(os.path.join(root, rel), (AGED, AGED))
            aged += 1
        else:
            changed += 1
    print(f"tree-stamp: {aged} files as built last time, {changed} new or changed")


def main(argv):
    try:
        return run(argv)
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as e:
        # Never fails a build: without a stamp, the next run rebuilds as if there were none.
        for target in argv[2:] if argv[1:2] != ["restore"] else []:
            remove(os.path.join(target, STAMP))
        print(f"tree-stamp: {e}: no stamp (the next run rebuilds what a fresh clone would)",
              file=sys.stderr)
        return 0


def run(argv):
    """Runs the command `argv` names; 2 (and the usage) when it names none."""
    commands = {"begin": begin, "commit": commit}
    if len(argv) == 3 and argv[1] in commands:
        commands[argv[1]](argv[2])
    elif len(argv) >= 3 and argv[1] == "restore":
        restore(argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
