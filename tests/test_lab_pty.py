"""`awsprep lab ec2-elastic-ip` in a real pseudo-terminal: a wrong command, a hint, quitting halfway, resuming."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pexpect
import pytest

from awsprep.content.catalog import load_catalog
from conftest import spawn_awsprep

pytestmark = pytest.mark.pty

AMI = (
    'AMI=$(aws ec2 describe-images --owners amazon --filters "Name=name,Values=al2023-ami-2023.*-x86_64" '
    "--query 'Images[0].ImageId' --output text)"
)
LAUNCH = (
    "IID=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro "
    "--query 'Instances[0].InstanceId' --output text)"
)
DESCRIBE = (
    "aws ec2 describe-instances --instance-ids $IID "
    "--query 'Reservations[0].Instances[0].PublicIpAddress' --output text"
)


PROMPT = r"\[{}/14\] learner@laptop:~/sandbox\$"


def spawn(home: Path) -> pexpect.spawn:
    return spawn_awsprep(home, "lab", "ec2-elastic-ip", timeout=60, dimensions=(50, 140))


class Typist:
    """Types lines and waits for each to finish (an `echo` marker typed after it comes back on its own line)."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.n = 0

    def line(self, text: str) -> str:
        self.n += 1
        self.child.sendline(text)
        # the marker as typed (`sync-${UNSET:-3}`) differs from what echo prints (`sync-3`), so the echo of the
        # typed-ahead line can never be mistaken for the command having finished
        self.child.sendline(f"echo sync-${{UNSET_MARKER:-{self.n}}}")
        self.child.expect(f"sync-{self.n}\r\n")
        return str(self.child.before)


def test_walk_ec2_elastic_ip_quit_and_resume(home: Path) -> None:
    child = spawn(home)
    typist = Typist(child)
    child.expect("Step 1 of 14: Launch web-1")
    child.expect(PROMPT.format(1))

    # a wrong command: the real AWS error, a nudge, no traceback
    shown = typist.line("aws ec2 run-instances --image-id ami-nope --instance-type t3.micro")
    assert "InvalidAMIID.Malformed" in shown
    assert "[lab] That did not work. This step's goal: Launch web-1" in shown
    assert "Traceback" not in shown

    assert "Hint 1 of 3: `aws ec2 describe-images" in typist.line("hint")

    for line in (AMI, LAUNCH, "aws ec2 wait instance-running --instance-ids $IID"):
        typist.line(line)
    child.sendline(DESCRIBE)
    child.expect("Step 1 done: Launch web-1")
    child.expect("Step 2 of 14: Reboot web-1")
    child.expect(PROMPT.format(2))

    child.sendline("quit")
    child.expect("Saved at step 2 of 14")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT step FROM lab_progress WHERE lab_id = 'ec2-elastic-ip'").fetchone() == (1,)

    child = spawn(home)
    typist = Typist(child)
    child.expect("Resuming at step 2 of 14")
    child.expect(PROMPT.format(2))
    assert "saved=i-" in typist.line("echo saved=$IID")
    typist.line("aws ec2 reboot-instances --instance-ids $IID")
    child.sendline(DESCRIBE)
    child.expect("Step 2 done: Reboot web-1")
    child.expect("Checkpoint question")
    child.expect(r"Choose one\.")
    child.expect("answer›")
    child.send("b\r")  # typed letters, options shuffled: the verdict must agree with the key shown
    child.expect(r"(Correct|Incorrect)  — answer ([A-D]), you chose B")
    verdict, key = child.match.group(1), child.match.group(2)
    assert (verdict == "Correct") == (key == "B")
    child.expect("Step 3 of 14: Stop and start web-1")
    child.expect(PROMPT.format(3))
    child.sendcontrol("d")
    child.expect("Saved at step 3 of 14")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db.execute("SELECT step FROM lab_progress WHERE lab_id = 'ec2-elastic-ip'").fetchone() == (2,)
    # the checkpoint is stored like any quiz answer
    (qid, chosen, correct), *_ = db.execute("SELECT question_id, chosen, correct FROM answers").fetchall()
    assert chosen == "B" and bool(correct) == (verdict == "Correct")
    assert db.execute("SELECT kind FROM attempts").fetchall() == [("checkpoint",)]
    # a bank question's answer is a review of its question card; a lab's own question has no card
    reviews = 0 if qid in load_catalog(use_cache=False).lab_question_by_id else 1
    assert db.execute("SELECT count(*) FROM reviews WHERE card_id = ?", (f"q:{qid}",)).fetchone() == (reviews,)
