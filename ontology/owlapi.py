"""An independent OWL 2 DL profile check: the OWL API's own ``OWL2DLProfile`` checker.

ctkg's ``check_profile`` is a light syntactic check written here; this one asks the reference
implementation (the OWL API 5, Debian's ``libowlapi-java``) through a one-file Java program
(``owlapi/ProfileCheck.java``) run by ``java`` in source-file mode, so nothing is compiled into
the repository. Needs a JDK (source-file mode uses the compiler module) and the jars under
``/usr/share/java``; the Makefile's ``system-deps`` installs both.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OntologyError
from .load import ontology_path

JAVA_DIR = Path("/usr/share/java")
CHECKER = Path(__file__).resolve().parent / "owlapi" / "ProfileCheck.java"
# the OWL API distribution jar and what its Turtle parser needs at run time (Debian names)
JARS = (
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-rdf-api",
    "commons-io",
    "jsr305",
    "atinject-jsr330-api",
    "hppcrt",
    "xz",
    "slf4j-api",
    "rdf4j-model-api",
    "rdf4j-model",
    "rdf4j-model-vocabulary",
    "rdf4j-rio-api",
    "rdf4j-rio-turtle",
    "rdf4j-rio-datatypes",
    "rdf4j-rio-languages",
    "rdf4j-util",
)


@dataclass(frozen=True)
class OwlApiReport:
    in_profile: bool
    violations: list[str] = field(default_factory=list)
    axioms: int = 0
    elapsed: float = 0.0


def classpath(java_dir: Path = JAVA_DIR) -> str:
    """The OWL API's class path, or OntologyError naming what is missing."""
    jars = [java_dir / f"{name}.jar" for name in JARS]
    missing = [j.name for j in jars if not j.exists()]
    if missing:
        raise OntologyError(
            f"the OWL API is not installed (missing {', '.join(missing)} in {java_dir}); "
            "install the Debian package libowlapi-java (make system-deps)"
        )
    return ":".join(str(j) for j in jars)


def java_with_compiler() -> str:
    """``java`` of a JDK (source-file mode needs javac's module), or OntologyError."""
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java or not javac:
        raise OntologyError(
            "a JDK is needed to run the OWL API checker (java and javac on PATH); "
            "install default-jdk-headless (make system-deps)"
        )
    return java


def check_owl2_dl(path: Path | str | None = None, *, timeout: float = 120) -> OwlApiReport:
    """The OWL API's verdict on ``path`` (default: the ontology): in OWL 2 DL or not, and why."""
    return check_many([path if path is not None else ontology_path()], timeout=timeout)[0]


def check_many(paths, *, timeout: float = 120) -> list[OwlApiReport]:
    """The OWL API's verdict on each file, in one Java process (the JVM start is most of it)."""
    paths = [str(Path(p)) for p in paths]
    cmd = [java_with_compiler(), "-cp", classpath(), str(CHECKER), *paths]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise OntologyError(f"the OWL API checker took longer than {timeout:.0f} s") from None
    elapsed = time.perf_counter() - started
    blocks: list[list[str]] = []
    for line in done.stdout.splitlines():
        if line.startswith("FILE "):
            blocks.append([])
        elif blocks:
            blocks[-1].append(line)
    if (
        done.returncode != 0
        or len(blocks) != len(paths)
        or not all(b and b[-1].endswith("OWL 2 DL") for b in blocks)
    ):
        detail = next((ln for b in blocks for ln in b if ln.startswith("PARSE-ERROR")), "")
        raise OntologyError(
            f"the OWL API could not check {', '.join(paths)}: "
            f"{detail or done.stderr.strip()[-500:]}"
        )
    return [
        OwlApiReport(
            in_profile=b[-1].startswith("IN-PROFILE"),
            violations=[ln.removeprefix("VIOLATION ") for ln in b if ln.startswith("VIOLATION ")],
            axioms=next((int(ln.split()[1]) for ln in b if ln.startswith("AXIOMS ")), 0),
            elapsed=elapsed,
        )
        for b in blocks
    ]


__all__ = ["OwlApiReport", "check_many", "check_owl2_dl", "classpath", "java_with_compiler"]
