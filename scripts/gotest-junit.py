#!/usr/bin/env python3
"""Turns `go test -json` output (stdin) into a JUnit XML report (argv[1]).

    go test -json ./... | scripts/gotest-junit.py report.xml [LABEL]

LABEL (for example "postgres") is added to every test's class name, so that two runs of one
suite on different backends stay apart in the summary.

One <testcase> per test; a test with subtests is represented by its subtests (plus itself
only when it failed on its own). A package that failed outside any test (build failure,
TestMain, panic, timeout) becomes one failed <testcase> named "(package)" with its output.
A test that started and never finished (the binary died) counts as failed.

It echoes a short log (one line per test, the output of failures) and exits 1 if anything
failed, the stream showed a build failure, or it held no test events at all (go could not
run: the reason is then on go's stderr).
"""
from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Optional

# Characters XML 1.0 cannot carry (terminal colours, NULs in a panic dump).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_OUTPUT = 64 * 1024  # per testcase, the tail is kept


def xml_text(s: str) -> str:
    s = _NOT_XML.sub("\ufffd", s)
    if len(s) > _MAX_OUTPUT:
        s = "[... output cut ...]\n" + s[-_MAX_OUTPUT:]
    return s


@dataclass
class Test:
    package: str
    name: str
    action: Optional[str] = None  # pass | fail | skip; None while running
    elapsed: float = 0.0
    output: list = field(default_factory=list)


@dataclass
class Package:
    name: str
    action: Optional[str] = None
    elapsed: float = 0.0
    failed_build: str = ""
    output: list = field(default_factory=list)
    tests: dict = field(default_factory=dict)  # name -> Test, in start order


class Stream:
    def __init__(self):
        self.packages: dict[str, Package] = {}
        self.build_output: dict[str, list] = {}  # import path -> lines
        self.build_failed: list[str] = []
        self.stray: list[str] = []  # lines that were not JSON events
        self.events = 0

    def package(self, name: str) -> Package:
        if name not in self.packages:
            self.packages[name] = Package(name)
        return self.packages[name]

    def feed(self, line: str):
        try:
            ev = json.loads(line)
        except ValueError:
            ev = None
        if not isinstance(ev, dict) or "Action" not in ev:
            if line.strip():
                self.stray.append(line.rstrip("\n"))
            return
        self.events += 1
        action = ev["Action"]
        if action in ("build-output", "build-fail"):
            path = ev.get("ImportPath", "")
            if action == "build-output":
                self.build_output.setdefault(path, []).append(ev.get("Output", ""))
            else:
                self.build_failed.append(path)
            return
        pkg = self.package(ev.get("Package", ""))
        name = ev.get("Test")
        if name is None:
            if action == "output":
                pkg.output.append(ev.get("Output", ""))
            elif action in ("pass", "fail", "skip"):
                pkg.action = action
                pkg.elapsed = float(ev.get("Elapsed") or 0)
                pkg.failed_build = ev.get("FailedBuild", "") or ""
            return
        test = pkg.tests.get(name)
        if test is None:
            test = pkg.tests[name] = Test(pkg.name, name)
        if action == "output":
            test.output.append(ev.get("Output", ""))
        elif action in ("pass", "fail", "skip"):
            test.action = action
            test.elapsed = float(ev.get("Elapsed") or 0)


@dataclass
class Case:
    classname: str
    name: str
    outcome: str  # passed | failed | skipped
    elapsed: float
    message: str
    output: str


def cases_of(stream: Stream) -> list[Case]:
    cases = []
    for pkg in stream.packages.values():
        names = list(pkg.tests)
        has_children = {n for n in names if any(o.startswith(n + "/") for o in names)}
        failed_leaf_under = {n for n in has_children
                             if any(o.startswith(n + "/") and pkg.tests[o].action != "pass"
                                    and pkg.tests[o].action != "skip" for o in names)}
        for name in names:
            t = pkg.tests[name]
            outcome = {"pass": "passed", "skip": "skipped"}.get(t.action or "", "failed")
            if name in has_children and (outcome != "failed" or name in failed_leaf_under):
                continue  # its subtests stand for it
            message = ""
            if outcome == "failed":
                message = "failed" if t.action == "fail" else \
                    "did not finish (the test binary crashed, timed out or was killed)"
            elif outcome == "skipped":
                message = "skipped"
            cases.append(Case(pkg.name, name, outcome, t.elapsed, message, "".join(t.output)))
        tests_failed = any(c.outcome == "failed" and c.classname == pkg.name for c in cases)
        build = pkg.failed_build or ""
        if (pkg.action == "fail" or build) and not tests_failed:
            text = "".join(stream.build_output.get(build, [])) if build else ""
            text += "".join(pkg.output)
            why = f"build failed ({build})" if build else "package failed outside any test"
            cases.append(Case(pkg.name, "(package)", "failed", pkg.elapsed, why, text))
    # Build failures of packages that have no package event of their own.
    reported = {p.failed_build for p in stream.packages.values()}
    for path in stream.build_failed:
        if path not in reported:
            cases.append(Case(path, "(build)", "failed", 0.0, "build failed",
                              "".join(stream.build_output.get(path, []))))
    if stream.events == 0:
        cases.append(Case("go test", "(no test events)", "failed", 0.0,
                          "go test produced no JSON events (see its stderr)",
                          "\n".join(stream.stray)))
    return cases


def write_junit(path: str, cases: list[Case]):
    root = ET.Element("testsuites")
    by_suite: dict[str, list[Case]] = {}
    for c in cases:
        by_suite.setdefault(c.classname, []).append(c)
    for suite_name, suite_cases in by_suite.items():
        suite = ET.SubElement(root, "testsuite", {
            "name": suite_name,
            "tests": str(len(suite_cases)),
            "failures": str(sum(c.outcome == "failed" for c in suite_cases)),
            "errors": "0",
            "skipped": str(sum(c.outcome == "skipped" for c in suite_cases)),
            "time": f"{sum(c.elapsed for c in suite_cases):.3f}",
        })
        for c in suite_cases:
            case = ET.SubElement(suite, "testcase", {
                "classname": c.classname, "name": c.name, "time": f"{c.elapsed:.3f}"})
            if c.outcome == "failed":
                ET.SubElement(case, "failure", {"message": xml_text(c.message)}).text = \
                    xml_text(c.output)
            elif c.outcome == "skipped":
                ET.SubElement(case, "skipped", {"message": xml_text(c.message)}).text = \
                    xml_text(c.output)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: go test -json ./... | gotest-junit.py REPORT.xml [LABEL]", file=sys.stderr)
        return 2
    stream = Stream()
    for line in sys.stdin:
        stream.feed(line)
    cases = cases_of(stream)
    if len(argv) == 3:
        for c in cases:
            c.classname = f"{c.classname}[{argv[2]}]"
    write_junit(argv[1], cases)

    for c in cases:
        mark = {"passed": "ok  ", "failed": "FAIL", "skipped": "SKIP"}[c.outcome]
        print(f"{mark} {c.classname} {c.name} ({c.elapsed:.2f}s)")
        if c.outcome == "failed":
            print(f"     {c.message}")
            for line in c.output.splitlines()[-200:]:
                print("     " + line)
    for line in stream.stray:
        print("     (not go test -json) " + line)
    counts = {k: sum(c.outcome == k for c in cases) for k in ("passed", "failed", "skipped")}
    print(f"gotest: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped")
    return 1 if counts["failed"] or stream.build_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
