#!/usr/bin/env python3
"""`cmake --install` puts everything where users and their shells look.

    check_install.py BUILD_DIR ROOT

Installs the build into a temporary prefix and checks: the binary runs from
another folder and analyzes samples/; the rule pack is installed as readable
files identical to the embedded ones (their digest, computed here the way
the binary computes it, is the one `--version` shows), and so are the bundled
profiles; the schemas, man pages
(found by `man -M`), completions and documents are in their standard places;
with --prefix /usr, zsh's completion goes to Debian's vendor-completions.
"""
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

# Files every install has, relative to the prefix (more are derived below).
FIXED = [
    "bin/kling-triage",
    "share/bash-completion/completions/kling-triage",
    "share/fish/vendor_completions.d/kling-triage.fish",
    "share/zsh/site-functions/_kling-triage",
    "share/doc/kling-triage/README.md",
    "share/doc/kling-triage/copyright",
    "share/doc/kling-triage/rules/README.md",
    "share/doc/kling-triage/profiles/README.md",
    "share/doc/kling-triage/examples/profiles/acme-gateway.yaml",
    "share/doc/kling-triage/examples/profiles/acme-gateway.jsonl",
    "share/doc/kling-triage/examples/rules/egress-proxy.yaml",
    "share/doc/kling-triage/examples/systemd/kling-triage-nightly.service",
    "share/doc/kling-triage/examples/systemd/kling-triage-nightly.timer",
    "share/doc/kling-triage/examples/slurm/kt-array.sh",
    "share/doc/kling-triage/examples/nightly/kt-nightly.sh",
    "share/doc/kling-triage/partial-format.md",
]


def install(build, prefix, destdir=None):
    env = dict(os.environ)
    if destdir:
        env["DESTDIR"] = destdir
    run = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise SystemExit(f"cmake --install failed:\n{run.stdout}{run.stderr}")


def pack_digest(rules_dir, names_from=None):
    """What rules::sources_digest computes for the embedded pack: each file's
    name (builtin:<path under rules/>) and text, in sorted order. The bundled
    profiles' digest (profile::digest) is the same over their files, named
    from the folder above: builtin:profiles/pino.yaml."""
    text = b""
    files = sorted(glob.glob(os.path.join(rules_dir, "**", "*.yaml"), recursive=True))
    for path in files:
        name = "builtin:" + os.path.relpath(path, names_from or rules_dir)
        with open(path, "rb") as f:
            text += name.encode() + b"\n" + f.read() + b"\n"
    return "sha256:" + hashlib.sha256(text).hexdigest(), len(files)


def expected_files(root):
    files = list(FIXED)
    for src in glob.glob(os.path.join(root, "rules", "kling", "*.yaml")):
        files.append("share/kling-triage/rules/kling/" + os.path.basename(src))
    for src in glob.glob(os.path.join(root, "schemas", "*.schema.json")):
        files.append("share/kling-triage/schemas/" + os.path.basename(src))
    for src in glob.glob(os.path.join(root, "docs", "man", "*.1.md")):
        files.append("share/man/man1/" + os.path.basename(src)[: -len(".md")] + ".gz")
    if os.path.exists(os.path.join(root, "scripts", "kt-dask")):
        files.append("bin/kling-triage-dask")
    for src in glob.glob(os.path.join(root, "profiles", "**", "*.yaml"), recursive=True):
        files.append("share/kling-triage/profiles/" + os.path.relpath(src, os.path.join(root, "profiles")))
    return sorted(files)


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def check(build, root, prefix, elsewhere):
    problems = []
    for rel in expected_files(root):
        if not os.path.isfile(os.path.join(prefix, rel)):
            problems.append(f"not installed: {rel}")
    if problems:
        return problems
    binary = os.path.join(prefix, "bin", "kling-triage")
    if not os.access(binary, os.X_OK):
        problems.append("bin/kling-triage is not executable")
    for src in glob.glob(os.path.join(root, "rules", "kling", "*.yaml")):
        if not same_bytes(src, os.path.join(prefix, "share/kling-triage/rules/kling", os.path.basename(src))):
            problems.append(f"installed {os.path.basename(src)} differs from rules/kling")
    for src in glob.glob(os.path.join(root, "schemas", "*.schema.json")):
        if not same_bytes(src, os.path.join(prefix, "share/kling-triage/schemas", os.path.basename(src))):
            problems.append(f"installed schema {os.path.basename(src)} differs from schemas/")

    version = subprocess.run([binary, "--version"], capture_output=True, text=True, cwd=elsewhere)
    digest, count = pack_digest(os.path.join(prefix, "share/kling-triage/rules"))
    if f"bundled rules: {digest}\n" not in version.stdout:
        problems.append(f"the installed rule files ({count}, {digest}) are not the embedded pack:\n"
                        f"{version.stdout}")
    share = os.path.join(prefix, "share/kling-triage")
    digest, count = pack_digest(os.path.join(share, "profiles"), share)
    if f"bundled profiles: {digest}\n" not in version.stdout:
        problems.append(f"the installed profile files ({count}, {digest}) are not the embedded ones:\n"
                        f"{version.stdout}")

    # From another folder: the embedded pack, and the installed files as --rules.
    report = subprocess.run([binary, "analyze", "-f", "json", os.path.join(root, "samples")],
                            capture_output=True, text=True, cwd=elsewhere,
                            env=dict(os.environ, SOURCE_DATE_EPOCH="1764000000"))
    if report.returncode != 0:
        problems.append(f"analyze samples/ from another folder exited {report.returncode}: {report.stderr}")
    else:
        totals = json.loads(report.stdout)["totals"]
        if totals["records"] == 0 or totals["failures"] == 0:
            problems.append(f"analyze samples/ found nothing: {totals}")
    listed = subprocess.run([binary, "rules", "list", "--no-builtin-rules", "--rules",
                             os.path.join(prefix, "share/kling-triage/rules")],
                            capture_output=True, text=True, cwd=elsewhere)
    builtin = subprocess.run([binary, "rules", "list"], capture_output=True, text=True, cwd=elsewhere)
    n_files = listed.stdout.strip().splitlines()[-1].split(",")[0] if listed.stdout else ""
    n_builtin = builtin.stdout.strip().splitlines()[-1].split(",")[0] if builtin.stdout else "?"
    if listed.returncode != 0 or n_files != n_builtin:
        problems.append(f"the installed rule files load as `{n_files}`, the embedded pack as `{n_builtin}`")

    for src in glob.glob(os.path.join(root, "docs", "man", "*.1.md")):
        page = os.path.basename(src)[: -len(".1.md")]
        found = subprocess.run(["man", "-M", os.path.join(prefix, "share/man"), "-w", page],
                               capture_output=True, text=True)
        if found.returncode != 0:
            problems.append(f"man -M <prefix>/share/man -w {page} finds nothing: {found.stderr}")
    return problems


def main():
    build, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix, elsewhere = os.path.join(tmp, "prefix"), os.path.join(tmp, "elsewhere")
        os.makedirs(elsewhere)
        install(build, prefix)
        problems += check(build, root, prefix, elsewhere)
        staged = os.path.join(tmp, "staged")
        install(build, "/usr", destdir=staged)
        if not os.path.isfile(os.path.join(staged, "usr/share/zsh/vendor-completions/_kling-triage")):
            problems.append("with --prefix /usr, _kling-triage is not in share/zsh/vendor-completions")
        if os.path.exists(os.path.join(staged, "usr/share/zsh/site-functions")):
            problems.append("with --prefix /usr, share/zsh/site-functions is created")
    for p in problems:
        print(f"FAIL {p}")
    if not problems:
        print(f"installed {len(expected_files(root))} files; the binary runs from another folder")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
