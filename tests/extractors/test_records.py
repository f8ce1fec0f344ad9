"""The records' fast constructors build the same frozen rows as the dataclasses themselves."""
from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import date

import pytest

from extractors.records import Indicator, Section, Sentence, Task, builder

ROWS = [
    (Indicator, ("d:i1", "d", "d:s1", None, "营业收入", "3.5亿元", 10, 15, "营业收入3.5亿元。", 3.5, 3.5, 3.5,
                 "亿元", "exact", False, "none", None, "actual", 2024, 2)),
    (Sentence, ("d:z1", "d", None, "营业收入3.5亿元。", 5, 15, 2)),
    (Section, ("d:s1", "d", None, 1, "一、", 1, "主要工作", 2, 6, "achievement", "一", 0, 40, 1)),
    (Task, ("d:t1", "d", "d:s1", "一是", "做好", "做好防汛准备", 3, 9, "planned", "做好", "6月底前",
            date(2024, 6, 30), 1)),
]


@pytest.mark.parametrize("cls,args", ROWS, ids=[c.__name__ for c, _ in ROWS])
def test_builder_makes_the_record_itself(cls, args):
    built, plain = builder(cls)(*args), cls(*args)
    assert type(built) is cls
    assert built == plain and hash(built) == hash(plain) and repr(built) == repr(plain)
    assert dataclasses.asdict(built) == dataclasses.asdict(plain)
    assert pickle.loads(pickle.dumps(built)) == plain
    assert copy.copy(built) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, dataclasses.fields(cls)[0].name, "changed")
