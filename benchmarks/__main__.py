"""Run every benchmark (``make bench``): tables on screen, results.md/.json, the README block.

Each benchmark runs in its own process, one after the other (they would disturb each
other's timings). A benchmark that crashes is reported and the others still run; the
exit status is then 1. A budget not met is a result, not a failure.

Run: python -m benchmarks [--only NAME ...] [--skip NAME ...] [--quick]
"""

from __future__ import annotations

import subprocess
import sys
import time

from . import common

BENCHMARKS = list(common.ORDER)


def main(argv=None) -> int:
    parser = common.parser(__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=None, metavar="NAME",
                        help=f"run only these ({', '.join(BENCHMARKS)})")
    parser.add_argument("--skip", nargs="+", choices=BENCHMARKS, default=[], metavar="NAME")
    parser.add_argument("--render", action="store_true",
                        help="run nothing: rewrite results.md and the README block from results.json")
    args = parser.parse_args(argv)
    chosen = [] if args.render else [b for b in (args.only or BENCHMARKS) if b not in args.skip]
    readme = common.readme_path(args)
    failed = []
    for name in chosen:
        command = [sys.executable, "-m", f"benchmarks.{name}", "--results", str(args.results),
                   "--readme", str(readme or "none")]
        if args.quick:
            command.append("--quick")
        print(f"\n### {name} ({time.strftime('%H:%M:%S')})", flush=True)
        if subprocess.run(command, cwd=common.ROOT).returncode:
            failed.append(name)
    results = common.load_results(args.results)
    if args.render:
        (args.results / "results.md").write_text(common.render_markdown(results), encoding="utf-8")
    print("\n== Budgets ==\n")
    print(common.budget_table([b for s in common.ordered(results) for b in s.budgets]))
    print(f"\nresults: {args.results / 'results.md'}"
          + (f"; README section updated: {readme}" if readme and common.update_readme(results, readme) else ""))
    if failed:
        print(f"\nThese benchmarks crashed (see above): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
