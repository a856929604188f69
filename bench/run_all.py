"""Run every benchmark in bench/ one after another (`make bench`)."""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

failed = []
for script in sorted(glob.glob(os.path.join(HERE, "*_bench.py"))):
    print("\n### %s" % os.path.basename(script), flush=True)
    if subprocess.call([sys.executable, script], cwd=HERE) != 0:
        failed.append(os.path.basename(script))
if failed:
    sys.exit("benchmarks failed: %s" % ", ".join(failed))
