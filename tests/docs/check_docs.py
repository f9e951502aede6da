#!/usr/bin/env python3
"""--help, the man pages and the README cannot drift apart.

    check_docs.py help BINARY ROOT     every command and option --help lists is
                                       documented in its man page (docs/man) and
                                       named in README.md, and nothing else is
    check_docs.py lint MANDIR ROOT     every page is built and `man --warnings -l`
                                       renders it without a warning

Man page sources are Markdown (docs/man/<page>.1.md, rendered by pandoc).
`kling-triage` is documented in kling-triage.1.md, each top-level command
`kling-triage X` in kling-triage-X.1.md; `kling-triage-dask` (scripts/kt-dask,
argparse) in kling-triage-dask.1.md. A page documents options as
definition-list terms (`**-f**, **--format**=*FORMAT*` on a line of its
own); the options of the page's command are those under `# OPTIONS`, those of
a nested command (`rules list`) those under its own heading (`## rules list`).
"""
import glob
import os
import re
import subprocess
import sys

HELP_ONLY = {"-h", "--help"}  # on every command; documented once, in kling-triage(1)


def parse_help(text):
    """(options, subcommands) from CLI11's --help output."""
    options, subcommands, section = [], [], None
    for line in text.splitlines():
        if not line.strip():
            section = None
            continue
        if not line.startswith(" "):
            section = line.strip().rstrip(":")
            continue
        m = re.match(r"^  (\S+)", line)
        if not m:
            continue
        if section == "Options" and m.group(1).startswith("-"):
            options.append(frozenset(m.group(1).split(",")))
        elif section == "Subcommands":
            subcommands.append(m.group(1))
    return options, subcommands


def help_tree(binary):
    """{command path: [option name sets]}, walking --help from the top."""
    tree, todo = {}, [""]
    while todo:
        path = todo.pop(0)
        run = subprocess.run([binary] + path.split() + ["--help"], capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"`{path} --help` exited {run.returncode}: {run.stderr}")
        options, subs = parse_help(run.stdout)
        if not options:
            raise SystemExit(f"`kling-triage {path} --help` lists no options: has its format changed?")
        tree[path] = options
        todo += [f"{path} {s}".strip() for s in subs]
    return tree


def page_of(path):
    return "kling-triage" if not path else "kling-triage-" + path.split()[0]


def documented_options(md, page_path, paths):
    """{command path: set of option names} documented in one page."""
    scope, found = None, {}
    for line in md.splitlines():
        h = re.match(r"^#+\s+(.*?)\s*$", line)
        if h:
            title = h.group(1).strip("`* ")
            scope = page_path if title == "OPTIONS" else (title if title in paths else None)
            continue
        if scope is not None and line.startswith("**-"):
            for name in re.findall(r"\*\*(-{1,2}[A-Za-z0-9][A-Za-z0-9-]*)\*\*", line):
                found.setdefault(scope, set()).add(name)
    return found


def check_dask(root, text):
    """kling-triage-dask's page documents exactly the options its --help lists."""
    script = os.path.join(root, "scripts", "kt-dask")
    run = subprocess.run([sys.executable, script, "--help"], capture_output=True, text=True)
    if run.returncode != 0:
        return [f"`kt-dask --help` exited {run.returncode}: {run.stderr}"]
    listed, section = set(), None
    for line in run.stdout.splitlines():
        if line and not line.startswith(" "):
            section = line.strip().rstrip(":")
            continue
        if section == "options" and re.match(r"^  -", line):
            spec = re.split(r"\s{2,}", line.strip())[0]
            listed |= set(re.findall(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)", spec))
    if not listed:
        return ["`kt-dask --help` lists no options: has its format changed?"]
    doc = documented_options(text, "dask", set()).get("dask", set())
    problems = [f"kling-triage-dask.1.md does not document `{o}`" for o in sorted(listed - doc)]
    problems += [f"kling-triage-dask.1.md documents `{o}`, which kt-dask --help does not list"
                 for o in sorted(doc - listed)]
    return problems


def check_help(binary, root):
    problems = []
    tree = help_tree(binary)
    man_dir = os.path.join(root, "docs", "man")
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    pages = {os.path.basename(p)[: -len(".1.md")] for p in glob.glob(os.path.join(man_dir, "*.1.md"))}
    wanted = {page_of(p) for p in tree}
    if os.path.exists(os.path.join(root, "scripts", "kt-dask")):
        dask = os.path.join(man_dir, "kling-triage-dask.1.md")
        if not os.path.exists(dask):
            problems.append("no man page docs/man/kling-triage-dask.1.md (scripts/kt-dask)")
        else:
            with open(dask, encoding="utf-8") as f:
                problems += check_dask(root, f.read())
            pages.discard("kling-triage-dask")
    for extra in sorted(pages - wanted):
        problems.append(f"docs/man/{extra}.1.md documents no command --help lists")
    texts = {}
    for page in sorted(wanted):
        path = os.path.join(man_dir, page + ".1.md")
        if not os.path.exists(path):
            problems.append(f"no man page docs/man/{page}.1.md")
            continue
        with open(path, encoding="utf-8") as f:
            texts[page] = f.read()
    for path, options in sorted(tree.items()):
        page = page_of(path)
        if page not in texts:
            continue
        top = path.split()[0] if path else ""
        doc = documented_options(texts[page], top, set(tree)).get(path, set())
        listed = set().union(*options)
        if path:
            listed -= HELP_ONLY
        name = f"kling-triage {path}".strip()
        for opt in sorted(listed - doc):
            problems.append(f"{page}.1.md does not document `{name} {opt}`")
        for opt in sorted(doc - listed):
            problems.append(f"{page}.1.md documents `{name} {opt}`, which --help does not list")
        if path and f"kling-triage {path}" not in readme:
            problems.append(f"README.md never names `kling-triage {path}`")
        for opt in sorted(o for o in listed if o.startswith("--")):
            if not re.search(re.escape(opt) + r"(?![A-Za-z0-9-])", readme):
                problems.append(f"README.md never names {opt} (of `{name}`)")
    main = texts.get("kling-triage", "")
    for page in sorted(wanted - {"kling-triage"}):
        if f"**{page}**(1)" not in main.split("# SEE ALSO")[-1]:
            problems.append(f"kling-triage.1.md's SEE ALSO does not list {page}(1)")
        top = page[len("kling-triage-"):]
        if not re.search(rf"^\*\*{re.escape(top)}\b", main, re.M):
            problems.append(f"kling-triage.1.md's COMMANDS does not describe `{top}`")
    total = sum(len(o) for o in tree.values())
    print(f"{len(tree)} commands, {total} options, {len(texts)} man pages")
    return problems


def check_lint(man_dir, root):
    problems = []
    sources = sorted(glob.glob(os.path.join(root, "docs", "man", "*.1.md")))
    if not sources:
        return ["no man page sources in docs/man"]
    for src in sources:
        page = os.path.join(man_dir, os.path.basename(src)[: -len(".md")])
        if not os.path.exists(page):
            problems.append(f"{page} was not built (is pandoc installed? re-run the configure step)")
            continue
        try:
            run = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True,
                                 env=dict(os.environ, MANWIDTH="80"))
        except FileNotFoundError:
            return ["`man` is not installed (apt-get install man-db)"]
        if run.returncode != 0 or run.stderr.strip():
            problems.append(f"man --warnings -l {page}: exit {run.returncode}\n{run.stderr}")
        elif not {"NAME", "SYNOPSIS"} <= set(re.sub(r".\x08", "", run.stdout).split()):
            problems.append(f"{page}: rendered without NAME or SYNOPSIS")
        lexgrog = subprocess.run(["lexgrog", page], capture_output=True, text=True)
        if lexgrog.returncode != 0:
            problems.append(f"{page}: lexgrog cannot read its NAME line (whatis/apropos would miss it)")
    print(f"{len(sources)} man pages render without warnings")
    return problems


def main():
    mode, arg, root = sys.argv[1], sys.argv[2], sys.argv[3]
    problems = check_help(arg, root) if mode == "help" else check_lint(arg, root)
    for p in problems:
        print(f"FAIL {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
