"""The saved state of an unfinished exam (the `state` JSON of its attempt), validated on the way back in.

A state damaged by hand or by a crash gives one clear line, never a traceback or a half-restored exam.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.errors import StoreError, UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

STATE_FORMAT = 1


def _models() -> tuple[type[BaseModel], type[BaseModel]]:
    """Built on first use: pydantic is a heavy import that `awsprep --help` must not pay for."""
    from pydantic import BaseModel, ConfigDict, Field, model_validator

    class ItemState(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: str = Field(min_length=1)
        topic: str
        order: list[int] = Field(min_length=2)
        hash: str

    class ExamState(BaseModel):
        model_config = ConfigDict(extra="forbid")
        format: int
        items: list[ItemState] = Field(min_length=1)
        answers: dict[int, str] = Field(default_factory=dict)
        flags: list[int] = Field(default_factory=list)
        seconds: dict[int, float] = Field(default_factory=dict)
        current: int = 0
        note: str | None = None

        @model_validator(mode="after")
        def _in_range(self) -> ExamState:
            n = len(self.items)
            for where, indices in (("answers", self.answers), ("flags", self.flags), ("seconds", self.seconds)):
                bad = [i for i in indices if not 0 <= i < n]
                if bad:
                    raise ValueError(f"{where} names question index {bad[0]}, but the exam has {n} questions")
            if not 0 <= self.current < n:
                raise ValueError(f"current is {self.current}, but the exam has {n} questions")
            for i, letters in self.answers.items():
                if not letters.isalpha() or not letters.isupper():
                    raise ValueError(f"answers.{i} is {letters!r}, not option letters")
            if any(s < 0 for s in self.seconds.values()):
                raise ValueError("seconds holds a negative time")
            return self

    return ItemState, ExamState


def load_state(raw: str | None, attempt_id: int) -> Any:
    """The validated state of exam #attempt_id; StoreError (one line) when it is damaged."""
    import json

    from pydantic import ValidationError

    try:
        data = json.loads(raw or "")
    except json.JSONDecodeError as exc:
        raise damaged(attempt_id, f"its state is not JSON: {exc.msg}") from None
    if isinstance(data, dict) and data.get("format") not in (None, STATE_FORMAT):
        raise UsageError(f"exam #{attempt_id} was saved by another version of awsprep and cannot be resumed")
    _, model = _models()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "state"
        raise damaged(attempt_id, f"{where}: {first['msg']}") from None


def damaged(attempt_id: int, why: str) -> StoreError:
    return StoreError(
        f"the saved state of unfinished exam #{attempt_id} is damaged ({why}); it was set aside",
        hint="`awsprep exam` starts a new one; `awsprep quiz history` lists it as abandoned",
    )
