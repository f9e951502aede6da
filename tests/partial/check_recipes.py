#!/usr/bin/env python3
"""The README's scale-out recipes run as written.

Takes the command lines from README.md ("With GNU parallel, Slurm, Hadoop
Streaming or Spark") and runs them in a scratch folder holding the
project's samples, with the binary first on PATH:

  - the GNU parallel line with `-S :` (this machine, through parallel's
    ssh-less local login);
  - examples/slurm/kt-array.sh, once per array task (SLURM_ARRAY_TASK_ID
    0..n-1, as Slurm would), then the README's merge;
  - the RDD.pipe stand-in (lines split into partitions, each through the
    mapper, all through one reducer).

Each report must equal `analyze` of the same inputs: byte for byte where
the shards are whole files; apart from inputs and the files and lines
examples cite where lines went through stdin. Skipped (77) without GNU
parallel.

    check_recipes.py BINARY PROJECT_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def readme_line(root, needle):
    """The README line (inside a ```sh block) that contains `needle`."""
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if needle in line:
                return line
    raise SystemExit(f"README.md has no ```sh line with {needle!r}")


def strip_locations(doc):
    doc = json.loads(doc)
    doc.pop("inputs")
    examples = [e for c in doc["causes"] for e in c["examples"]] + doc["malformed"]["examples"]
    examples += [t["example"] for t in doc["unexplained"]["templates"] if t["example"]]
    for e in examples:
        e.pop("source")
        e.pop("line")
    return doc


def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if shutil.which("parallel") is None:
        print("skipped: GNU parallel is not installed (apt-get install parallel)")
        return 77
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(root, "samples"), os.path.join(tmp, "samples"))
        shutil.copytree(os.path.join(root, "examples"), os.path.join(tmp, "examples"))
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(binary, os.path.join(bindir, "kling-triage"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"],
                   SOURCE_DATE_EPOCH="1764000000", TZ="UTC", HOME=tmp)
        os.makedirs(os.path.join(tmp, ".parallel"))
        open(os.path.join(tmp, ".parallel", "will-cite"), "w").close()

        def sh(line):
            p = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=tmp, env=env,
                               capture_output=True, text=True)
            if p.returncode != 0:
                print(f"FAIL `{line}`: exit {p.returncode}\n{p.stderr}")
            return p.returncode == 0

        def analyze(args):
            return subprocess.run(["kling-triage", "analyze", "-f", "json"] + args, cwd=tmp,
                                  env=env, capture_output=True).stdout

        def report():
            with open(os.path.join(tmp, "report.json"), "rb") as f:
                return f.read()

        def check(name, ok):
            nonlocal failed
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}")

        files = sorted(f"samples/{n}" for n in os.listdir(os.path.join(root, "samples"))
                       if ".jsonl" in n)
        line = readme_line(root, "parallel -S : ")
        check("GNU parallel -S : equals analyze", sh(line) and report() == analyze(files))

        # Slurm: the array's tasks, then the README's merge (paths made local).
        partials = os.path.join(tmp, "partials")
        os.mkdir(partials)
        logs = sorted(f"samples/{n}" for n in os.listdir(os.path.join(root, "samples"))
                      if n.endswith((".jsonl", ".jsonl.gz", ".jsonl.zst")))
        ok = True
        for i in range(len(logs)):
            task = dict(env, SLURM_ARRAY_TASK_ID=str(i), KT_PARTIALS=partials)
            ok = ok and subprocess.run(["bash", "examples/slurm/kt-array.sh"] + logs,
                                       cwd=tmp, env=task).returncode == 0
        merge = readme_line(root, "sbatch --dependency")
        merge = re.search(r"--wrap '([^']*)'", merge).group(1)
        merge = merge.replace("/shared/partials", partials).replace("-f html -o report.html",
                                                                   "-f json -o report.json")
        check("Slurm array tasks + merge equal analyze", ok and sh(merge) and report() == analyze(logs))

        line = readme_line(root, "split -l 100 --filter")
        stdin = subprocess.run(["bash", "-c", "zcat -f samples/*.jsonl samples/*.gz | kling-triage "
                                "analyze -f json -"], cwd=tmp, env=env, capture_output=True).stdout
        check("RDD.pipe stand-in equals analyze of the same lines",
              sh(line) and strip_locations(report()) == strip_locations(stdin))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
