"""The wheel and sdist build, carry what textclean needs, and a fresh install runs.

Builds with ``python -m build --no-isolation`` (the build backend is already installed
by the test extra, so nothing is downloaded), installs the wheel into a new virtual
environment that sees this one's dependencies but not its textclean, and runs the
installed command on a bundled sample.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

import textclean
from tests.conftest import ROOT, SAMPLES, sample_names
from textclean import engine


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    return out


def test_wheel_carries_the_package_data_and_metadata(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    assert wheel.name.startswith(f"textclean_zh-{textclean.__version__}-")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    # The compiled engine is in the wheel where this machine builds it (a wheel for
    # one platform), and the wheel is pure Python where it cannot.
    if engine.compiled() is not None:
        assert any(n.startswith("textclean/_engine") and n.endswith(".so") for n in names)
        assert not wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(meta_name).decode()
    for needed in ("textclean/py.typed", "textclean/data/lookalikes.tsv",
                   "textclean/data/yi_words.txt", "textclean/testing/noise.py",
                   "textclean/ray.py", "textclean/report.py",
                   "textclean/data/lm_sc_lookalikes.bin", "textclean/data/lexicon.bin",
                   "textclean/data/lexicon.NOTICE",
                   "textclean/data/lm_sc_lookalikes.NOTICE",
                   "textclean/data/LICENSE.lm_sc.LGPL-2.1-or-later.txt"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    assert f"Version: {textclean.__version__}" in metadata
    assert "Classifier: Typing :: Typed" in metadata
    assert "Provides-Extra: ray" in metadata
    assert "Requires-Dist: regex" in metadata
    assert "MIT AND LGPL-2.1-or-later" in metadata
    # The name textclean on PyPI is another project's (issue 21).
    assert "\nName: textclean-zh\n" in metadata


def test_sdist_carries_the_sources(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "textclean/__init__.py",
            "textclean/data/lookalikes.tsv", "engine/Cargo.toml", "engine/Cargo.lock",
            "engine/src/lib.rs", "engine/src/lm.rs"} <= names


@pytest.fixture(scope="module")
def pure_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built where no Rust toolchain is found (cargo not on PATH)."""
    out = tmp_path_factory.mktemp("pure")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    assert shutil.which("cargo", path=env["PATH"]) is None
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir",
                    str(out), str(ROOT)], check=True, capture_output=True, timeout=600, env=env)
    return out


def test_a_fresh_install_of_the_wheel_runs_the_cli(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    version = _install_and_run(wheel, tmp_path)
    # The wheel runs the engine this checkout runs: compiled where it was built.
    assert version == f"textclean {textclean.__version__} (engine: {engine.describe()})"


def test_without_a_rust_toolchain_the_package_installs_and_runs_in_python(
        pure_dist: Path, tmp_path: Path) -> None:
    (wheel,) = pure_dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert not any(n.startswith("textclean/_engine") and not n.endswith(".pyi")
                       for n in zf.namelist())
    version = _install_and_run(wheel, tmp_path)
    assert version.startswith(f"textclean {textclean.__version__} (engine: python (the "
                              "compiled engine is not built")


def _install_and_run(wheel: Path, tmp_path: Path) -> str:
    """Install a wheel into a new environment, check that its command cleans a sample,
    and give what ``textclean --version`` says there."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The dependencies come from the environment running this test, whatever it is (a
    # venv's system_site_packages would see the base interpreter's instead). A .pth line
    # puts its site-packages after the new environment's own, so the wheel installed
    # there shadows the textclean under test; the folders a .pth line adds have their
    # own .pth files ignored, so an editable install of the checkout stays out.
    new_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip()
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (Path(new_site) / "running-environment.pth").write_text("\n".join(ours) + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True, timeout=600)
    where = subprocess.run([str(python), "-c", "import textclean; print(textclean.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(env_dir) in where, "the wheel's textclean, not the checkout's"
    script = env_dir / "bin" / "textclean"
    version = subprocess.run([str(script), "--version"], check=True, capture_output=True,
                             text=True).stdout
    name = sample_names()[0]
    out = subprocess.run([str(script)], input=(SAMPLES / "raw" / name).read_bytes(),
                         check=True, capture_output=True, cwd=tmp_path, timeout=600).stdout
    assert out.decode().rstrip("\n") == \
        (SAMPLES / "gold" / name).read_text(encoding="utf-8").rstrip("\n")
    return version.strip()


def test_pre_commit_hooks_run_as_pre_commit_runs_them(tmp_path: Path) -> None:
    import shlex  # noqa: PLC0415

    import yaml  # noqa: PLC0415  (PyYAML comes with mkdocs in the test extra)

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"textclean-check", "textclean-fix"}
    dirty, clean = tmp_path / "dirty.txt", tmp_path / "clean.txt"
    dirty.write_text("王毅:好!\n", encoding="utf-8")
    clean.write_text("王毅：好！\n", encoding="utf-8")
    bin_dir = Path(sys.executable).parent

    def run(hook: str, *files: Path) -> subprocess.CompletedProcess[str]:
        # pre-commit appends the staged file names to the entry.
        program, *args = shlex.split(hooks[hook]["entry"])
        return subprocess.run([str(bin_dir / program), *args, *map(str, files)],
                              capture_output=True, text=True, check=False, timeout=600)

    assert run("textclean-check", clean).returncode == 0
    found = run("textclean-check", dirty, clean)
    assert found.returncode == 1 and "dirty.txt" in found.stdout
    assert "clean.txt" not in found.stdout
    assert run("textclean-fix", dirty, clean).returncode == 0
    assert dirty.read_text(encoding="utf-8") == "王毅：好！\n"
    assert run("textclean-check", dirty, clean).returncode == 0
