#!/usr/bin/env python3
"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), which cannot
run here: both files are parsed and checked for what GitHub and pre-commit require, and what they
run is run (scripts/action-run's steps with the environment action.yml gives them, the hook's
entry on the files its pattern selects).

Usage: action_test.py SOURCE_ROOT RCCHECK RUNTIME_INCLUDE_DIR
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import testlib
from testlib import RC_LEAK, check

CLEAN = """int good(int x)
{
    return x + 1;
}
"""


def load_yaml(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_action(src):
    action = load_yaml(os.path.join(src, "action.yml"))
    check(isinstance(action, dict) and action.get("name") and action.get("description"),
          "action.yml has a name and a description")
    runs = action.get("runs", {})
    check(runs.get("using") == "composite", "a composite action")
    inputs = action.get("inputs", {})
    check(all(isinstance(v, dict) and v.get("description") for v in inputs.values()), "every input is described",
          [k for k, v in inputs.items() if not (isinstance(v, dict) and v.get("description"))])
    text = open(os.path.join(src, "action.yml"), encoding="utf-8").read()
    used = set(re.findall(r"inputs\.([a-z][a-z-]*)", text))
    check(used <= set(inputs), "every input it uses is declared", sorted(used - set(inputs)))
    steps = runs.get("steps", [])
    ids = {s.get("id") for s in steps if s.get("id")}
    refs = set(re.findall(r"steps\.([a-z]+)\.outputs", text))
    check(refs <= ids, "every step output it reads is from a step with that id", sorted(refs - ids))
    commands = []
    for s in steps:
        if "run" in s:
            check(s.get("shell") == "bash", f"step '{s.get('name')}' names its shell (required in a composite action)")
            m = re.fullmatch(r'"\$GITHUB_ACTION_PATH/(scripts/[a-z-]+)" ([a-z]+)', s["run"].strip())
            if check(m is not None, f"step '{s.get('name')}' runs one command of scripts/action-run", s["run"]):
                script = os.path.join(src, m.group(1))
                check(os.access(script, os.X_OK), f"{m.group(1)} exists and is executable")
                commands.append(m.group(2))
        else:
            check(s.get("uses", "").startswith("github/codeql-action/upload-sarif@"),
                  "the other step uploads with github/codeql-action/upload-sarif", s.get("uses"))
    check(commands == ["install", "build", "analyze", "verdict"], "the steps: install, build, analyze, verdict",
          commands)
    return action


def run_step(src, command, env, cwd):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "RCCHECK", "GITHUB_"))}
    environ.update(env)
    p = subprocess.run([os.path.join(src, "scripts", "action-run"), command], cwd=cwd, env=environ,
                       capture_output=True, text=True, timeout=300)
    print(f"$ scripts/action-run {command}  ({' '.join(f'{k}={v}' for k, v in sorted(env.items()))}) -> {p.returncode}")
    return p.returncode, p.stdout, p.stderr


def outputs(path):
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)


def dry_run_action(src, rccheck, include, tmp):
    ws = os.path.join(tmp, "workspace")
    os.makedirs(os.path.join(ws, "src"))
    with open(os.path.join(ws, "src", "leak.c"), "w") as f:
        f.write(RC_LEAK)
    with open(os.path.join(ws, "src", "clean.c"), "w") as f:
        f.write(CLEAN)
    # install: install-deps --analyzer; here only when it has nothing to install
    p = subprocess.run([os.path.join(src, "scripts", "install-deps"), "--list", "--analyzer"], capture_output=True,
                       text=True)
    pkgs = p.stdout.split()
    missing = [x for x in pkgs if subprocess.run(["dpkg-query", "-W", "-f=${Status}", x], capture_output=True,
                                                 text=True).stdout.find("install ok installed") < 0]
    check("libclang-19-dev" in pkgs and "afl++" not in pkgs and "llvm-14" not in pkgs,
          "install-deps --analyzer: libclang 19, no fuzzing engine, no LLVM 14", pkgs)
    if not missing:
        st, out, err = run_step(src, "install", {}, ws)
        check(st == 0, "the install step (install-deps --analyzer, nothing missing here) succeeds", out + err)
    else:
        print(f"(install step not run: it would install {missing})")
    st, out, err = run_step(src, "build", {"RCCHECK": rccheck}, ws)
    check(st == 0 and "using" in out, "the build step with RCCHECK set uses that program", out + err)
    gh = os.path.join(tmp, "github_output")
    base = {"RCCHECK": rccheck, "GITHUB_OUTPUT": gh, "INPUT_PATHS": "src", "INPUT_ARGS": f"-- -I{include}",
            "INPUT_SARIF_FILE": "out/rccheck.sarif", "INPUT_UPLOAD_SARIF": "true"}
    os.makedirs(os.path.join(ws, "out"))
    open(gh, "w").close()
    st, out, err = run_step(src, "analyze", base, ws)
    o = outputs(gh)
    check(st == 0 and o.get("status") == "1" and o.get("sarif") == "out/rccheck.sarif",
          "analyze: exits 0 (so the upload runs), status=1 and sarif=FILE in GITHUB_OUTPUT", f"{o}\n{out}{err}")
    try:
        with open(os.path.join(ws, "out", "rccheck.sarif"), encoding="utf-8") as f:
            log = json.load(f)
        results = log["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        check(uris == {"src/leak.c"}, "the SARIF has the finding, its URI relative to the workspace", uris)
    except (OSError, ValueError, KeyError, IndexError) as e:
        check(False, "analyze wrote the SARIF file", str(e))
    for status, fail, want in (("1", "true", 1), ("1", "false", 0), ("0", "true", 0), ("2", "false", 2), ("", "true", 2)):
        st, out, _ = run_step(src, "verdict", {"RCCHECK_STATUS": status, "INPUT_FAIL_ON_FINDINGS": fail}, ws)
        check(st == want, f"verdict: status '{status}', fail-on-findings {fail} -> exit {want}", out)
    # upload-sarif false: the text report in the log, no SARIF
    open(gh, "w").close()
    st, out, err = run_step(src, "analyze", dict(base, INPUT_UPLOAD_SARIF="false", INPUT_SARIF_FILE="none.sarif"), ws)
    check(st == 0 and "src/leak.c:" in out and "[rc-leak]" in out and not os.path.exists(os.path.join(ws, "none.sarif"))
          and outputs(gh) == {"status": "1"}, "upload-sarif false: findings as text in the log, no SARIF", out + err)
    # -p and an input error
    open(gh, "w").close()
    st, out, err = run_step(src, "analyze", dict(base, INPUT_PATHS="src/missing.c"), ws)
    check(st == 0 and outputs(gh).get("status") == "2", "a missing path: status=2", out + err)
    db = [{"directory": os.path.join(ws, "src"), "file": "leak.c", "arguments": ["cc", "-I" + include, "-c", "leak.c"]}]
    os.makedirs(os.path.join(ws, "build"))
    with open(os.path.join(ws, "build", "compile_commands.json"), "w") as f:
        json.dump(db, f)
    open(gh, "w").close()
    st, out, err = run_step(src, "analyze", dict(base, INPUT_BUILD_DIR="build", INPUT_PATHS="", INPUT_ARGS=""), ws)
    check(st == 0 and outputs(gh).get("status") == "1", "build-dir: rccheck -p build", out + err)


def check_pre_commit(src, rccheck, include, tmp):
    hooks = load_yaml(os.path.join(src, ".pre-commit-hooks.yaml"))
    check(isinstance(hooks, list) and len(hooks) == 1, ".pre-commit-hooks.yaml is a list of one hook")
    hook = hooks[0] if hooks else {}
    for key in ("id", "name", "entry", "language"):
        check(isinstance(hook.get(key), str) and hook.get(key), f"the hook has '{key}' (pre-commit requires it)")
    check(hook.get("language") == "system" and hook.get("entry") == "rccheck", "it runs the rccheck on PATH")
    pattern = re.compile(hook.get("files", ""))
    repo = os.path.join(tmp, "repo")
    os.makedirs(os.path.join(repo, "src"))
    staged = {"src/leak.c": RC_LEAK, "src/clean.c": CLEAN, "src/api.h": "int f(void);\n", "README": "x\n"}
    for name, text in staged.items():
        with open(os.path.join(repo, name), "w") as f:
            f.write(text)
    with open(os.path.join(repo, ".rccheck"), "w") as f:
        f.write(f"compile-args: -I{include}\n")
    chosen = sorted(n for n in staged if pattern.search(n))
    check(chosen == ["src/clean.c", "src/leak.c"], "its files pattern selects the .c files only", chosen)
    # what pre-commit runs: ENTRY ARGS... FILES... with the entry found on PATH
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    os.symlink(rccheck, os.path.join(bindir, "rccheck"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    p = subprocess.run([hook.get("entry", "rccheck"), *hook.get("args", []), *chosen], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 1 and "src/leak.c:" in p.stdout and "[rc-leak]" in p.stdout,
          "the hook's command fails on the leak (exit 1), the .rccheck's compile-args applied", p.stdout + p.stderr)
    p = subprocess.run([hook.get("entry", "rccheck"), "src/clean.c"], cwd=repo, env=env, capture_output=True,
                       text=True, timeout=120)
    check(p.returncode == 0, "...and passes on a clean file", p.stdout + p.stderr)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import yaml  # noqa: F401
    except ImportError:
        system = "/usr/bin/python3"  # python3 on PATH may be a pyenv copy without Debian's python3-yaml
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system):
            os.execv(system, [system] + argv)
        check(False, "python3-yaml is importable (Debian package python3-yaml)")
        return 1
    src, rccheck, include = (os.path.abspath(a) for a in argv[1:])
    tmp = tempfile.mkdtemp(prefix="action-", dir=os.getcwd())
    try:
        check_action(src)
        dry_run_action(src, rccheck, include, tmp)
        check_pre_commit(src, rccheck, include, tmp)
    finally:
        testlib.cleanup(tmp)
    return testlib.verdict("action")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
