"""A memo for one page: reads that several parts of a page need (the main page's milestone rules
and inbox) are made once while a `memo_scope()` is open, and never outlive it.

    with memo_scope():
        ...  # memoized(key, compute) computes each key once here
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict | None] = ContextVar("oe21_page_memo", default=None)


@contextmanager
def memo_scope():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, once per key while a scope is open; every time outside one."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
