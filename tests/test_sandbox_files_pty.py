"""The sandbox's interactive file commands in a real pseudo-terminal: here-documents typed at the prompt,
`edit` with typed lines and with $EDITOR (run on the scratch file only), and `aws logs tail --follow` ended
with Ctrl-C."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect

from conftest import spawn_awsprep

PROMPT = r"learner@laptop:~/sandbox\$"


def test_heredocs_edit_and_follow_at_the_prompt(home: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    record = tmp_path / "editor-args.txt"
    fake = tmp_path / "fake_editor.py"
    fake.write_text(
        "import sys\n"
        f"open({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\n"
        "open(sys.argv[-1], 'a').write('# edited\\n')\n"
        "print('EDITOR RAN')\n"
    )
    child = spawn_awsprep(
        home, "sandbox", "--seed", "1", "--scratch", str(scratch), env={"EDITOR": f"{sys.executable} {fake}"}
    )
    child.expect(PROMPT)
    for line in ("cat > hello.py <<'EOF'", 'print("$HOME")', "EOF", "N=7; cat > n.txt <<EOF", "n=$N", "EOF"):
        child.sendline(line)  # each typed line is read on its own `> ` prompt, as bash reads a here-document
        child.expect_exact(line)
    child.sendline("cat n.txt")
    child.expect("n=7")  # the expanded text: the here-documents were read and run
    assert (scratch / "hello.py").read_text() == 'print("$HOME")\n'
    assert (scratch / "n.txt").read_text() == "n=7\n"

    child.sendline("EDITOR= edit notes.txt")
    child.expect("end with a line holding a single '.'")
    child.sendline("first line")
    child.sendline("second line")
    child.sendline(".")
    child.expect("Wrote 2 lines to notes.txt")
    child.expect(PROMPT)
    assert (scratch / "notes.txt").read_text() == "first line\nsecond line\n"

    child.sendline("edit hello.py")
    child.expect("EDITOR RAN")
    assert (scratch / "hello.py").read_text().endswith("# edited\n")
    assert record.read_text() == str(scratch.resolve() / "hello.py")

    child.sendline("aws logs create-log-group --log-group-name /demo")
    child.expect(PROMPT)
    child.sendline("aws logs create-log-stream --log-group-name /demo --log-stream-name s")
    child.expect(PROMPT)
    child.sendline(
        "aws logs put-log-events --log-group-name /demo --log-stream-name s "
        "--log-events timestamp=1736154000000,message=hello-from-the-log"
    )
    child.expect(PROMPT)
    child.sendline("aws logs tail /demo --follow")
    child.expect("2025-01-06T09:00:00\\+00:00 s hello-from-the-log")
    child.sendintr()  # the follow stops, the sandbox stays (the test machine may be slow: a longer wait)
    child.expect(PROMPT, timeout=90)
    child.sendline("echo status=$?")
    child.expect("status=130")
    child.expect(PROMPT)
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert "Traceback" not in (child.before or "")
