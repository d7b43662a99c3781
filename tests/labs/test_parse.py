"""The bash subset: lists, quoting, expansion, word splitting, redirections, here-documents."""

from __future__ import annotations

import pytest

from awsprep.labs.shell.parse import (
    ParseError,
    Redirect,
    Unsupported,
    expand,
    heredoc_delimiter,
    is_incomplete,
    split_list,
)
from awsprep.labs.shell.scratch import mode_string, parse_mode
from awsprep.labs.shell.script import script_lines
from awsprep.labs.shell.views import human, parse_duration

ENV = {"IID": "i-0abc", "TWO": "i-1\ti-2", "EMPTY": "", "Q": 'say "hi"'}


def run(text: str, subst: str = "out\n") -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    cmd = expand(text, ENV.get, lambda inner: subst)
    return cmd.argv, cmd.assignments


def test_split_list_keeps_connectors_and_drops_comments() -> None:
    parts = split_list("a 'x;y' && b || c; d # e; f")
    assert [(t.strip(), c) for t, c in parts] == [("a 'x;y'", ""), ("b", "&&"), ("c", "||"), ("d", ";")]


def test_split_list_does_not_cut_inside_substitution() -> None:
    assert [t for t, _ in split_list("X=$(a; b) && echo")] == ["X=$(a; b) ", " echo"]


@pytest.mark.parametrize("line", ["echo 'open", 'echo "open', "echo $(open", "a &&", "echo ok \\"])
def test_incomplete_lines_ask_for_more(line: str) -> None:
    assert is_incomplete(line)


@pytest.mark.parametrize("line", ["echo ok", "echo 'a' \"b\"", "echo a | b"])
def test_complete_lines(line: str) -> None:
    assert not is_incomplete(line)


@pytest.mark.parametrize(("line", "message"), [(";", "`;'"), ("a && && b", "`&&'"), ("echo (", "`('")])
def test_syntax_errors_name_the_token(line: str, message: str) -> None:
    with pytest.raises(ParseError) as err:
        split_list(line)
    assert message in str(err.value)


@pytest.mark.parametrize("line", ["aws ec2 describe-instances | jq .", "sleep 5 &"])
def test_pipes_and_background_jobs_are_unsupported(line: str) -> None:
    with pytest.raises(Unsupported):
        split_list(line)


def test_variables_expand_outside_single_quotes_only() -> None:
    assert run("echo $IID ${IID} '$IID' \"$IID\" \\$IID")[0] == ("echo", "i-0abc", "i-0abc", "$IID", "i-0abc", "$IID")


def test_unquoted_expansion_is_word_split_and_empty_disappears() -> None:
    assert run("aws ec2 terminate-instances --instance-ids $TWO $EMPTY")[0][-2:] == ("i-1", "i-2")
    assert run('echo "$TWO" "$EMPTY"')[0] == ("echo", "i-1\ti-2", "")


def test_expanded_values_never_become_syntax() -> None:
    assert run("echo $Q")[0] == ("echo", "say", '"hi"')
    assert run('echo "$Q" \'>\' ">"')[0] == ("echo", 'say "hi"', ">", ">")


def test_assignments_take_substitution_without_splitting() -> None:
    argv, assigns = run("IIDS=$(aws ec2 x --output text)", subst="i-1\ti-2\n")
    assert argv == () and assigns == (("IIDS", "i-1\ti-2"),)
    assert run("export K=$(x)", subst="a b\n")[0] == ("export", "K=a b")


def test_substitution_in_double_quotes_and_inside_words() -> None:
    assert run('echo "<h1>$(hostname -f)</h1>"', subst="ip-1.ec2.internal\n")[0] == (
        "echo",
        "<h1>ip-1.ec2.internal</h1>",
    )
    assert run("curl http://$IID/x")[0] == ("curl", "http://i-0abc/x")


def test_default_values_and_special_parameters() -> None:
    cmd = expand("echo ${NOPE:-fallback} $? $#", {"?": "3", "#": "0"}.get, lambda s: "")
    assert cmd.argv == ("echo", "fallback", "3", "0")
    with pytest.raises(ParseError, match="bad substitution"):
        expand("echo ${a b}", ENV.get, lambda s: "")


def test_redirections_in_order() -> None:
    cmd = expand("aws x > out.json 2>&1", ENV.get, lambda s: "")
    assert cmd.argv == ("aws", "x")
    assert cmd.redirects == (Redirect(1, target="out.json"), Redirect(2, dup_of=1))
    cmd = expand("echo 2 >> log 2>err &>both", ENV.get, lambda s: "")
    assert cmd.argv == ("echo", "2")
    assert [r.fd for r in cmd.redirects] == [1, 2, 1, 2]
    assert cmd.redirects[0].append


def test_redirection_without_target_is_a_syntax_error() -> None:
    with pytest.raises(ParseError, match="newline"):
        expand("echo >", ENV.get, lambda s: "")


def test_heredoc_delimiters() -> None:
    assert heredoc_delimiter("cat > f <<'EOF'") == ("EOF", True)
    assert heredoc_delimiter("cat <<EOF > f") == ("EOF", False)
    assert heredoc_delimiter("echo '<<EOF'") is None


def test_script_lines_join_continuations_and_collect_heredocs() -> None:
    text = "#!/bin/bash\n# note\n\naws ec2 run-instances \\\n  --count 1\ncat > a <<'EOF'\n$X\nEOF\necho done\n"
    lines = script_lines(text)
    assert [ln.text for ln in lines] == ["aws ec2 run-instances   --count 1", "cat > a <<'EOF'", "echo done"]
    assert [ln.number for ln in lines] == [4, 6, 9]
    assert lines[1].heredocs[0].body == "$X\n" and not lines[1].heredocs[0].expand


@pytest.mark.parametrize(
    ("spec", "current", "expected"),
    [("400", 0o644, 0o400), ("0600", 0o644, 0o600), ("go-rwx", 0o664, 0o600), ("u+x", 0o644, 0o744),
     ("a=r", 0o777, 0o444), ("+x", 0o600, 0o711), ("z+q", 0o644, None), ("99", 0o644, None)],
)  # fmt: skip
def test_parse_mode(spec: str, current: int, expected: int | None) -> None:
    assert parse_mode(spec, current) == expected


def test_mode_string() -> None:
    assert mode_string(0o400) == "-r--------"
    assert mode_string(0o755, True) == "drwxr-xr-x"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("5m", 300), ("1h30m", 5400), ("2d", 172800), ("45", 45), ("x", None), ("", None)],
)
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_human_durations() -> None:
    assert human(3725) == "1h 2m 5s" and human(0) == "0s"
