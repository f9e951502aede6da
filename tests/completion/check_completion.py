#!/usr/bin/env python3
"""The shell completions complete what kling-triage accepts.

    check_completion.py BINARY ROOT COMPLETION_DIR   the scripts the build wrote
    check_completion.py BINARY ROOT --installed      the installed ones, found
                                                     the way each shell finds them

For bash, zsh and fish: each command offers exactly the subcommands and the
options its --help lists; a few lines complete to what a user expects
(--format values, a file name, cause ids after `--fail-on cause:`); and the
cause ids offered are the causes of `rules list`. bash runs the real completion
function with bash-completion loaded; zsh completes in an interactive shell on
a pseudo-terminal (zsh_complete.zsh); fish uses `complete -C`. Runs in ROOT
(file names complete against samples/).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs"))
from check_docs import help_tree, parse_help  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"

# (command line, what must be offered, exact?) -- exact: nothing else may be.
CASES = [
    ("kling-triage an", {"analyze"}, True),
    ("kling-triage analyze --fo", {"--format"}, True),
    ("kling-triage analyze --format ", {"text", "json", "markdown", "html"}, True),
    ("kling-triage analyze -f m", {"markdown"}, True),
    ("kling-triage analyze --color ", {"auto", "always", "never"}, True),
    ("kling-triage rules ", {"list", "check", "test", "suggest"}, True),
    ("kling-triage rules check --s", {"--strict"}, True),
    ("kling-triage rules test --v", {"--verbose"}, True),
    ("kling-triage explain --input-format ", {"auto", "jsonl", "har", "json"}, True),
    ("kling-triage completion ", {"bash", "zsh", "fish"}, True),
    ("kling-triage analyze -j 2 --rules examples/rules samples/api-2026-11-2",
     {"samples/api-2026-11-24.jsonl", "samples/api-2026-11-25.jsonl.gz"}, True),
    ("kling-triage analyze --fail-on ca", {"category:", "cause:"}, False),
    ("kling-triage analyze --fail-on cause:billing.",
     {"cause:billing.insufficient_credits", "cause:billing.account_in_arrears"}, True),
    ("kling-triage analyze --fail-on category:ra", {"category:rate_limit"}, True),
]


def bash_complete(script, line):
    """COMPREPLY for `line`, as readline would show it (the text that replaces
    the word being completed, re-joined with what precedes it)."""
    load = f"source {BASH_COMPLETION}\n" if os.path.exists(BASH_COMPLETION) else ""
    if script:
        load += f"source {script}\n"
    else:  # installed: bash-completion loads it on first use
        load += "__load_completion kling-triage || exit 3\n"
    program = load + r"""
complete -p kling-triage >/dev/null || exit 4
COMP_LINE=$1 COMP_POINT=${#1}
COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
_kling_triage
word=${COMP_LINE##*[[:space:]]}
keep=
for ((i = ${#word} - 1; i >= 0; i--)); do
    [[ $COMP_WORDBREAKS == *"${word:i:1}"* ]] && { keep=${word:0:i+1}; break; }
done
for c in "${COMPREPLY[@]}"; do printf '%s%s\n' "$keep" "$c"; done
"""
    run = subprocess.run(["bash", "--norc", "--noprofile", "-c", program, "bash", line],
                         capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        raise RuntimeError(f"bash exited {run.returncode}: {run.stderr}")
    return set(run.stdout.splitlines())


def zsh_complete(fpath_dir, line):
    run = subprocess.run(["zsh", "-f", os.path.join(HERE, "zsh_complete.zsh"), fpath_dir or "-", line],
                         capture_output=True, text=True, timeout=60)
    return {c for c in run.stdout.splitlines() if c}


def fish_complete(script, line):
    program = (f"source {script}; " if script else "") + "complete -C " + shlex_quote(line)
    # An empty configuration (not --no-config: it also turns off loading
    # completions from vendor_completions.d, which the installed check needs).
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
        run = subprocess.run(["fish", "-c", program], capture_output=True, text=True, timeout=60,
                             env=env)
    return {c.split("\t")[0] for c in run.stdout.splitlines() if c}


def shlex_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cause_ids(binary):
    """The causes `rules list` shows: a rule's id, or the `cause X` under it
    when it produces another rule's cause."""
    out = subprocess.run([binary, "rules", "list"], capture_output=True, text=True, check=True).stdout
    ids = set()
    for m in re.finditer(r"^([a-z_]+\.[a-z0-9_.]+)\s.*\n\s+(?:cause (\S+)\s+)?\(", out, re.M):
        ids.add(m.group(2) or m.group(1))
    return ids | {"unclassified.unknown"}


def subcommands_of(binary, path):
    out = subprocess.run([binary] + path.split() + ["--help"], capture_output=True, text=True).stdout
    return set(parse_help(out)[1])


def check_shell(name, complete, binary):
    problems = []
    tree = help_tree(binary)
    for path, options in sorted(tree.items()):
        prefix = f"kling-triage {path} ".replace("  ", " ")
        want = set().union(*options)
        got = {c for c in complete(prefix + "-") if c.startswith("-")}
        if got != want:
            problems.append(f"{name}: `{prefix}-` offers {sorted(got)}, --help lists {sorted(want)}")
        subs = subcommands_of(binary, path)
        if subs:
            got = complete(prefix)
            if got != subs:
                problems.append(f"{name}: `{prefix}` offers {sorted(got)}, --help lists {sorted(subs)}")
    for line, want, exact in CASES:
        got = complete(line)
        if (got != want) if exact else not want <= got:
            problems.append(f"{name}: `{line}` offers {sorted(got)}, expected {sorted(want)}")
    causes = {c[len("cause:"):] for c in complete("kling-triage analyze --fail-on cause:")} - {""}
    ids = cause_ids(binary)
    if causes != ids:
        problems.append(f"{name}: cause ids offered differ from `rules list`: "
                        f"missing {sorted(ids - causes)}, extra {sorted(causes - ids)}")
    print(f"{name}: {len(tree)} commands, {len(CASES)} lines, {len(ids)} cause ids checked")
    return problems


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    installed = sys.argv[3] == "--installed"
    comp = None if installed else os.path.abspath(sys.argv[3])
    os.chdir(root)
    # The completion scripts call nothing, but the installed check finds the
    # binary on PATH, like a user's shell.
    os.environ["PATH"] = os.path.dirname(binary) + os.pathsep + os.environ["PATH"]
    problems = []
    shells = [
        ("bash", lambda line: bash_complete(comp and os.path.join(comp, "kling-triage"), line)),
        ("zsh", lambda line: zsh_complete(comp, line)),
        ("fish", lambda line: fish_complete(comp and os.path.join(comp, "kling-triage.fish"), line)),
    ]
    for name, complete in shells:
        if shutil.which(name) is None:
            problems.append(f"{name} is not installed (scripts/kt test installs it)")
            continue
        problems += check_shell(name, complete, binary)
    for p in problems:
        print(f"FAIL {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
