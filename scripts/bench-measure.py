#!/usr/bin/env python3
"""Run one command several times; report wall time and peak memory (max RSS) of every run as JSON.

Used by scripts/bench.ts, which writes a JSON spec on stdin:
  {"argv": [...], "env": {...}, "runs": 15, "warmup": 1, "stdoutHas": [...], "stderrHas": [...]}
or, for commands whose ratio is a target, several taken in turn (A B A B ...; the output then
holds {"ok": true, "results": [one result per spec]}):
  {"interleave": [{"argv": ..., "env": ..., "stdoutHas": ...}, ...], "runs": 15, "warmup": 1}
The child gets exactly `env` (not this interpreter's environment, which a pyenv shim may have
changed). Standalone use, with the current environment: python3 scripts/bench-measure.py --runs 5 -- node -e 0

Output on stdout: {"ok": true, "wallMs": [...], "cpuMs": [...], "maxRssKb": [...], "warmup": [...]} (warm-up runs
separate), or {"ok": false, "error": ..., "run": i, "exitCode": ..., "stdout": ..., "stderr": ...}
and exit status 1 at the first run that failed (non-zero exit or missing expected output), so the
caller never times a failure.

Why this shape:
- wall time is time.perf_counter() around posix_spawn + wait4, nothing else: the output goes to
  files and is read and checked after the clock stops;
- CPU time is the child's user + system time from the same rusage (descendants it waited for
  included): on a machine shared with other work it moves far less than wall time, which counts
  the seconds the child waited for a core;
- os.wait4 returns the child's rusage; on Linux ru_maxrss is in KiB and covers the child and every
  descendant it waited for (e.g. the node process that `bash -c 'eval "$(...)"'` ran), so it is
  the real peak memory of the command without GNU time. posix_spawn uses vfork on glibc, so a
  child's figure can only start from this interpreter's own RSS (~10 MB), well under node's.
"""
import json
import os
import sys
import tempfile
import time


def run_once(argv, env, out_path, err_path):
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall_ms = (time.perf_counter() - start) * 1000.0
    with open(out_path, encoding="utf-8", errors="replace") as f:
        out = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        err = f.read()
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000.0
    return wall_ms, cpu_ms, usage.ru_maxrss, os.waitstatus_to_exitcode(status), out, err


def measure(spec):
    """One command, or with "interleave": [spec, ...] several taken in turn (A B C A B C ...), so
    that ratios between them come from the same seconds of a machine whose load drifts."""
    specs = spec["interleave"] if "interleave" in spec else [spec]
    runs, warmup = int(spec.get("runs", 15)), int(spec.get("warmup", 1))
    results = [{"ok": True, "wallMs": [], "cpuMs": [], "maxRssKb": [], "warmup": []} for _ in specs]
    with tempfile.TemporaryDirectory(prefix="stsx-bench-") as tmp:
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        for i in range(warmup + runs):
            for j, one in enumerate(specs):
                argv, env = one["argv"], one["env"]
                try:
                    wall, cpu, rss, code, out, err = run_once(argv, env, out_path, err_path)
                except OSError as e:  # e.g. the executable does not exist
                    return {"ok": False, "run": i, "spec": j, "error": f"cannot start {argv[0]}: {e}"}
                missing = [x for x in one.get("stdoutHas", []) if x not in out]
                missing += [x for x in one.get("stderrHas", []) if x not in err]
                if code != 0 or missing:
                    why = f"exit code {code}" if code != 0 else f"output lacks {missing!r}"
                    return {"ok": False, "run": i, "spec": j, "error": why, "exitCode": code, "stdout": out[-2000:], "stderr": err[-2000:]}
                if i < warmup:
                    results[j]["warmup"].append({"wallMs": wall, "cpuMs": cpu, "maxRssKb": rss})
                else:
                    results[j]["wallMs"].append(wall)
                    results[j]["cpuMs"].append(cpu)
                    results[j]["maxRssKb"].append(rss)
    return {"ok": True, "results": results} if "interleave" in spec else results[0]


def main():
    args = sys.argv[1:]
    if "--" in args:
        sep = args.index("--")
        opts = dict(zip(args[:sep:2], args[1:sep:2]))
        spec = {"argv": args[sep + 1:], "env": dict(os.environ), "runs": opts.get("--runs", 15), "warmup": opts.get("--warmup", 1)}
    else:
        spec = json.load(sys.stdin)
    result = measure(spec)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
