"""The JSON job protocol the interop harness speaks with its Python helpers (test/interop/harness/python.ts).

stdin:  {"jobs": [{"id": str, "op": str, ...}]}
stdout: {"results": [{"id", "ok", "packet": hex, "error"}]}
"""
import json
import sys


def run_jobs(operations):
    """Runs each job with operations[job["op"]](job), which returns bytes; one bad job must not hide the others."""
    results = []
    for job in json.load(sys.stdin)["jobs"]:
        try:
            out = operations[job["op"]](job)
            results.append({"id": job["id"], "ok": True, "packet": out.hex(), "error": ""})
        except Exception as e:
            results.append({"id": job["id"], "ok": False, "packet": "", "error": "%s: %s" % (type(e).__name__, e)})
    json.dump({"results": results}, sys.stdout)
