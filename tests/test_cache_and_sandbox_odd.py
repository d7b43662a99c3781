"""Odd input that used to end in internal errors or never-cleaned files (issue 15 §2): the catalog cache on a
full disk, sandbox file names over 255 characters, very long lines, seeds beyond 64 bits."""

from __future__ import annotations

import errno
import os
import shlex
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awsprep.labs.shell.parse import expand, split_words


def test_a_cache_write_that_fails_leaves_no_temp_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from awsprep.content import catalog as catalog_mod
    from awsprep.paths import cache_dir

    real = Path.write_bytes

    def half_then_full(self: Path, data: bytes) -> int:
        real(self, data[: len(data) // 2])  # the disk fills half-way
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_bytes", half_then_full)
        catalog_mod.load_catalog()
    assert list(cache_dir().glob("catalog-*")) == []


def test_temp_files_of_dead_writers_are_cleaned(home: Path) -> None:
    from awsprep.content.catalog import load_catalog
    from awsprep.paths import cache_dir

    load_catalog()
    [cache] = cache_dir().glob("catalog-*.bin")
    prefix = cache.name.rsplit("-", 1)[0]
    stale = cache_dir() / f"{prefix}-0123abcd.4242.tmp"  # its writer was killed an hour ago
    stale.write_text("half")
    os.utime(stale, (time.time() - 3600,) * 2)
    live = cache_dir() / f"{prefix}-0123abcd.4343.tmp"  # another process writing right now
    live.write_text("half")
    cache.unlink()  # the content changed: the cache is written again
    load_catalog()
    assert not stale.exists() and live.exists()


@given(st.text(alphabet=" \t\n\\\"'ab$", max_size=14))
def test_word_splitting_is_shlex_posix(text: str) -> None:
    try:
        expected: object = shlex.split(text, comments=False, posix=True)
    except ValueError as exc:
        expected = ("error", str(exc))
    try:
        got: object = split_words(text)
    except ValueError as exc:
        got = ("error", str(exc))
    assert got == expected


def test_a_one_million_character_word_is_split() -> None:
    # was quadratic (shlex grows a token one character at a time): the speed is in scripts/bench_shell.py
    word = "a" * 1_000_000
    assert expand(f"echo {word} 'b c'", {}.get, lambda s: "").argv == ("echo", word, "b c")


def test_cat_of_a_name_over_255_characters(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scratch = tmp_path / "scratch"
    script = tmp_path / "s.sh"
    script.write_text(f"cat {'n' * 300}\necho '{'m' * 300}' > {'o' * 256}\necho still here\n")
    result = cli("sandbox", "--script", str(script), "--scratch", str(scratch))
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stdout + result.stderr
    assert "File name too long" in result.stdout + result.stderr
    assert str(scratch) not in result.stdout + result.stderr  # never the real host path
    assert "still here" in result.stdout


@pytest.mark.parametrize(
    "command", [("quiz", "--count", "1", "--answers", "A"), ("exam", "--count", "1", "--answers", "A")]
)
def test_a_seed_beyond_64_bits_is_a_usage_error(cli, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*command, "--seed", str(2**70))
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr and "--seed" in result.stderr
